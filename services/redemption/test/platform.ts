// A platform to redeem on (no vitest here: the benchmark uses it too): the real stack (four subgraphs + gateway), an
// operator, a provider with a staff member, a funded program, and grants held
// by users. Grants are opened with funds' own domain code (`openGrant`) on
// funds' test database until issueGrant/claimGrant land; only `activeGrant`
// has to change then.
import { randomUUID } from 'node:crypto';
import { type Database, openPostgres } from '@mentoring/db';
import { createInternalClient, identityApi } from '@mentoring/internal-api';
import { type Stack, startStack } from '@mentoring/stack';
import { createServiceTokens } from '@mentoring/subgraph-kit';
import { graphqlClient } from '@mentoring/testing';
import pg from 'pg';
import { openGrant } from '../../funds/src/domain/grants';
import type { RedemptionSubgraph } from '../src/app';

export type Gql = ReturnType<typeof graphqlClient>;
export interface User {
  id: string;
  email: string;
  token: string;
}

export const REDEEM = `mutation Redeem($input: RedeemInput!) { redeem(input: $input) {
  id status amountCents code offering { id title seatsLeft } grant { id balanceCents } } }`;
export const CANCEL = `mutation CancelRedemption($id: ID!) { cancelRedemption(id: $id) {
  id status grant { id balanceCents } } }`;
export const VALIDATE = `mutation ValidateRedemption($code: String!, $amountCents: Int) {
  validateRedemption(code: $code, amountCents: $amountCents) { id status amountCents offering { id title } } }`;
export const PROVIDER_REDEMPTIONS = `query ProviderRedemptions($providerId: ID!, $status: RedemptionStatus) {
  providerRedemptions(providerId: $providerId, status: $status) { id status amountCents createdAt offering { id title } } }`;
export const REFUND = 'mutation($id: ID!) { refundRedemption(id: $id) { id status amountCents } }';
/** What the provider's desk asks: funds shows the grant (its balance) only to its holder. */
export const CANCEL_AT_DESK = 'mutation($id: ID!) { cancelRedemption(id: $id) { id status } }';
export const BY_CODE = 'query($code: String!) { redemptionByCode(code: $code) { id status code } }';
export const MY_GRANTS = '{ me { grants { id balanceCents redemptions { id status } } } }';

export interface RedeemResult {
  id: string;
  status: string;
  amountCents: number;
  code: string | null;
  offering: { id: string; title: string; seatsLeft: number | null };
  grant: { id: string; balanceCents: number };
}

/** The world most tests start from. */
export interface Platform {
  stack: Stack;
  redemption: RedemptionSubgraph;
  gql: Gql;
  operator: User;
  communityId: string;
  providerId: string;
  /** ADMIN of the provider (membership in the token). */
  providerStaff: User;
  otherProviderId: string;
  otherProviderStaff: User;
  programId: string;
  /** The services' own databases, to verify what they hold. */
  databases: { funds: Database; catalog: Database; redemption: Database };
  /** Their URLs (to restart a service on the same database). */
  databaseUrls: { funds: string; catalog: string; redemption: string };
  signUp(name?: string): Promise<User>;
  /** A published offering of the provider (or another one). */
  offering(input?: Partial<OfferingInput>): Promise<{ id: string; title: string }>;
  /** An ACTIVE grant of the program held by `holder` (a new user when omitted). */
  activeGrant(options?: { holder?: User; birthDate?: string; programId?: string }): Promise<{
    id: string;
    holder: User;
  }>;
  /** A program with its own spend rules, funded from the same fund. */
  program(input: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

interface OfferingInput {
  providerOrganizationId: string;
  title: string;
  category: string;
  priceCents: number;
  capacity: number | null;
  minAge: number;
  maxAge: number;
  publish: boolean;
}

const letters = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');

async function ok<D>(gql: Gql, query: string, variables: Record<string, unknown>, token?: string) {
  const res = await gql<D>(query, variables, { token });
  if (res.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(res.errors)}`);
  return res.data as D;
}

/** The stack's databases are `s_<label>_<random>_<service>`: found by the label this file chose. */
async function stackDatabases(postgresUrl: string, label: string) {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 's\\_' || $1 || '\\_%'",
      [label],
    );
    const url = (service: string) => {
      const name = rows.find((r) => r.datname.endsWith(`_${service}`))?.datname;
      if (!name) throw new Error(`no ${service} database for ${label}`);
      const u = new URL(postgresUrl);
      u.pathname = `/${name}`;
      return u.toString();
    };
    return { url };
  } finally {
    await client.end();
  }
}

export async function startPlatform(options: {
  postgresUrl: string;
  redisUrl: string;
  /** Redis key prefix (`testRedis()` in tests). */
  redisPrefix: string;
  label: string;
  programGrantCents?: number;
  programBudgetCents?: number;
}): Promise<Platform> {
  const label = `${options.label}_${randomUUID().slice(0, 6)}`.toLowerCase();
  const stack = await startStack({
    postgresUrl: options.postgresUrl,
    redisUrl: options.redisUrl,
    redisPrefix: options.redisPrefix,
    label,
  });
  const gql = graphqlClient(stack.gatewayUrl);
  const found = await stackDatabases(options.postgresUrl, label);
  const databaseUrls = {
    funds: found.url('funds'),
    catalog: found.url('catalog'),
    redemption: found.url('redemption'),
  };
  const databases = {
    funds: openPostgres({ service: 'funds', url: found.url('funds'), max: 4 }),
    catalog: openPostgres({ service: 'catalog', url: found.url('catalog'), max: 2 }),
    redemption: openPostgres({ service: 'redemption', url: found.url('redemption'), max: 2 }),
  };
  const internal = createInternalClient({
    tokens: createServiceTokens(stack.serviceTokenSecret, 'tests'),
    urls: stack.urls,
  });

  const logIn = async (email: string, password: string): Promise<User> => {
    const data = await ok<{ logIn: { token: string; user: { id: string } } }>(
      gql,
      'mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { token user { id } } }',
      { email, password },
    );
    return { id: data.logIn.user.id, email, token: data.logIn.token };
  };
  const signUp = async (name = 'user'): Promise<User> => {
    const email = `${name}-${randomUUID().slice(0, 8)}@example.org`;
    const data = await ok<{ signUp: { token: string; user: { id: string } } }>(
      gql,
      'mutation($input: SignUpInput!) { signUp(input: $input) { token user { id } } }',
      { input: { email, password: 'a-long-password', displayName: name } },
    );
    return { id: data.signUp.user.id, email, token: data.signUp.token };
  };
  const operator = await logIn(stack.operator.email, stack.operator.password);
  const asOperator = <D>(query: string, variables: Record<string, unknown>) =>
    ok<D>(gql, query, variables, operator.token);

  const communityId = (
    await asOperator<{ createCommunity: { id: string } }>(
      'mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }',
      { input: { name: 'Vigevano', slug: `vigevano-${label.replace(/_/g, '-')}`.slice(0, 40) } },
    )
  ).createCommunity.id;
  const organization = async (name: string, kind: string) =>
    (
      await asOperator<{ createOrganization: { id: string } }>(
        'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
        { input: { communityId, name, kind, iban: 'IT60X0542811101000000123456' } },
      )
    ).createOrganization.id;
  const staffOf = async (organizationId: string, name: string) => {
    const user = await signUp(name);
    await asOperator('mutation($input: AddMemberInput!) { addMember(input: $input) { role } }', {
      input: { organizationId, email: user.email, role: 'ADMIN' },
    });
    return logIn(user.email, 'a-long-password');
  };
  const providerId = await organization('Istituto Musicale Costa', 'PROVIDER');
  const otherProviderId = await organization('Teatro Cagnoni', 'PROVIDER');
  const sponsorId = await organization('Fondazione', 'SPONSOR');
  const providerStaff = await staffOf(providerId, 'desk');
  const otherProviderStaff = await staffOf(otherProviderId, 'other-desk');

  const fundId = (
    await asOperator<{ createFund: { id: string } }>(
      'mutation($input: CreateFundInput!) { createFund(input: $input) { id } }',
      { input: { communityId, name: 'Fondo giovani' } },
    )
  ).createFund.id;
  const contribution = await asOperator<{ recordContribution: { id: string } }>(
    'mutation($input: RecordContributionInput!) { recordContribution(input: $input) { id } }',
    {
      input: { fundId, sponsorOrganizationId: sponsorId, amountCents: 100_000_000, idempotencyKey: 'seed' },
    },
  );
  await asOperator('mutation($id: ID!) { confirmContribution(id: $id) { id } }', {
    id: contribution.recordContribution.id,
  });
  const program = async (input: Record<string, unknown>) =>
    (
      await asOperator<{ createProgram: { id: string } }>(
        'mutation($input: CreateProgramInput!) { createProgram(input: $input) { id } }',
        {
          input: {
            fundId,
            name: `Programma ${randomUUID().slice(0, 4)}`,
            grantAmountCents: options.programGrantCents ?? 8000,
            budgetCents: options.programBudgetCents ?? 10_000_000,
            spendDeadline: `${new Date().getUTCFullYear() + 1}-08-31`,
            ...input,
          },
        },
      )
    ).createProgram.id;
  const programId = await program({});

  const offering = async (input: Partial<OfferingInput> = {}) => {
    const { publish = true, ...fields } = input;
    const created = await asOperator<{ createOffering: { id: string; title: string } }>(
      'mutation($input: CreateOfferingInput!) { createOffering(input: $input) { id title } }',
      {
        input: {
          providerOrganizationId: providerId,
          title: `Corso ${randomUUID().slice(0, 6)}`,
          category: 'music',
          priceCents: 8000,
          ...fields,
        },
      },
    );
    if (publish)
      await asOperator('mutation($id: ID!) { publishOffering(id: $id) { id } }', {
        id: created.createOffering.id,
      });
    return created.createOffering;
  };

  const activeGrant: Platform['activeGrant'] = async ({ holder, birthDate = '2010-05-01', ...rest } = {}) => {
    const user = holder ?? (await signUp('holder'));
    const beneficiary = await internal(identityApi.findOrCreateBeneficiary, {
      communityId,
      referrerOrganizationId: sponsorId,
      firstName: 'Luca',
      lastName: `Rossi ${letters(8)}`,
      birthDate,
    });
    const grant = await openGrant(databases.funds, {
      programId: rest.programId ?? programId,
      beneficiaryId: beneficiary.id,
      issuedBy: operator.id,
      holderUserId: user.id,
      status: 'ACTIVE',
    });
    return { id: grant.id, holder: user };
  };

  return {
    stack,
    redemption: stack.subgraphs.redemption as RedemptionSubgraph,
    gql,
    operator,
    communityId,
    providerId,
    providerStaff,
    otherProviderId,
    otherProviderStaff,
    programId,
    databases,
    databaseUrls,
    signUp,
    offering,
    activeGrant,
    program,
    async close() {
      await Promise.allSettled(Object.values(databases).map((db) => db.close()));
      await stack.close();
    },
  };
}

/** Redeems through the gateway as the grant's holder. */
export function redeemAs(
  p: Platform,
  holder: User,
  input: { grantId: string; offeringId: string; amountCents?: number; idempotencyKey?: string },
) {
  return p.gql<{ redeem: RedeemResult }>(
    REDEEM,
    { input: { idempotencyKey: randomUUID(), ...input } },
    { token: holder.token },
  );
}

/** Seats catalog holds for the offering. */
export async function seatsReserved(p: Platform, offeringId: string): Promise<number> {
  const [row] = await p.databases.catalog.query<{ seats_reserved: number }>(
    'SELECT seats_reserved FROM offerings WHERE id = $1',
    [offeringId],
  );
  return Number(row?.seats_reserved);
}

/** Payment holds funds has not resolved yet. */
export async function openHolds(p: Platform): Promise<number> {
  const [row] = await p.databases.funds.query<{ n: string }>(
    `SELECT count(*) AS n FROM transfers t WHERE t.kind = 'PAYMENT' AND t.status = 'PENDING'
       AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id)`,
  );
  return Number(row?.n);
}

export async function redemptionsByStatus(p: Platform, offeringId?: string) {
  const rows = await p.databases.redemption.query<{ status: string; n: string }>(
    `SELECT status, count(*) AS n FROM redemptions ${offeringId ? 'WHERE offering_id = $1' : ''} GROUP BY status`,
    offeringId ? [offeringId] : [],
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>;
}
