// A small town for the grant tests: the real identity subgraph (in-process, port 0)
// and funds calling it with a shared service-token secret. People sign up in
// identity; their tokens (with memberships) are what funds verifies.
import { randomBytes, randomUUID } from 'node:crypto';
import { type Database, openPostgres } from '@mentoring/db';
import { createIdentity } from '@mentoring/identity';
import { createTokenVerifier, type Subgraph } from '@mentoring/subgraph-kit';
import {
  createTestDatabase,
  errorCodes,
  type GraphQLResponse,
  graphqlClient,
  testRedis,
} from '@mentoring/testing';
import { afterAll, expect } from 'vitest';
import { createFunds, type FundsOptions } from '../src/app';
import { checkLedger } from '../src/domain/ledger/check';

export { errorCodes };

const OPERATOR = { email: 'ops@funds-grants.test', password: 'operator-password-1' };
export const CLAIM_CODE_KEY = 'test-claim-code-key-0123456789abcdef0123456789';

/** A date `days` from today, YYYY-MM-DD. */
export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
/** A birth date for someone turning `age` about half a year ago. */
export const bornYearsAgo = (age: number) => {
  const d = new Date(Date.now() - 182 * 86_400_000);
  d.setUTCFullYear(d.getUTCFullYear() - age);
  return d.toISOString().slice(0, 10);
};
export const unique = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

export interface Person {
  id: string;
  email: string;
  token: string;
  refreshToken: string;
}

export async function startGrantWorld(label: string, fundsOptions: Partial<FundsOptions> = {}) {
  const secret = randomBytes(32).toString('base64url');
  const identityRedis = testRedis(`${label}_identity`);
  const identity = await createIdentity({
    exactDatabaseUrl: await createTestDatabase(`${label}_identity`),
    redisUrl: identityRedis.redisUrl,
    redisPrefix: identityRedis.prefix,
    serviceTokenSecret: secret,
    operator: OPERATOR,
    loginLimits: { perEmail: 1000, perIp: 1000 },
  });
  const identityUrl = await identity.listen({ port: 0 });

  const databaseUrl = await createTestDatabase(label);
  const redis = testRedis(label);
  const funds: Subgraph = await createFunds({
    exactDatabaseUrl: databaseUrl,
    redisUrl: redis.redisUrl,
    redisPrefix: redis.prefix,
    serviceTokenSecret: secret,
    verifyToken: createTokenVerifier({ jwks: identity.jwks }),
    identityUrl,
    claimCodeKey: CLAIM_CODE_KEY,
    maintenance: false,
    outboxRelay: false,
    poolSize: 20,
    ...fundsOptions,
  });
  const url = await funds.listen({ port: 0 });
  const db: Database = openPostgres({ service: 'funds-test', url: databaseUrl, max: 4 });
  afterAll(async () => {
    await funds.close();
    await identity.close();
    await db.close();
  });

  const idGql = graphqlClient(`${identityUrl}/graphql`);
  const gql = graphqlClient(`${url}/graphql`);

  const dataOf = <D>(res: GraphQLResponse<D>): D => {
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data as D;
  };

  const operator = dataOf(
    await idGql<{ logIn: { token: string } }>(
      'mutation ($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }',
      { e: OPERATOR.email, p: OPERATOR.password },
    ),
  ).logIn.token;

  /** Runs a funds operation, failing the test on any error. */
  async function ok<D>(query: string, variables: Record<string, unknown>, token = operator): Promise<D> {
    return dataOf(await gql<D>(query, variables, { token }));
  }

  async function signUp(name = 'person'): Promise<Person> {
    const email = `${unique(name)}@example.test`;
    const { signUp } = dataOf(
      await idGql<{ signUp: { token: string; refreshToken: string; user: { id: string } } }>(
        'mutation ($input: SignUpInput!) { signUp(input: $input) { token refreshToken user { id } } }',
        { input: { email, password: 'correct horse battery', displayName: name } },
      ),
    );
    return { id: signUp.user.id, email, token: signUp.token, refreshToken: signUp.refreshToken };
  }

  /** `person` joins the organization; returns them with a token that carries the membership. */
  async function joins(person: Person, organizationId: string, role: 'ADMIN' | 'STAFF' = 'STAFF') {
    dataOf(
      await idGql(
        'mutation ($input: AddMemberInput!) { addMember(input: $input) { role } }',
        { input: { organizationId, email: person.email, role } },
        { token: operator },
      ),
    );
    const { refreshToken } = dataOf(
      await idGql<{ refreshToken: { token: string; refreshToken: string } }>(
        'mutation ($r: String!) { refreshToken(refreshToken: $r) { token refreshToken } }',
        { r: person.refreshToken },
      ),
    );
    return { ...person, ...refreshToken };
  }

  const community = dataOf(
    await idGql<{ createCommunity: { id: string } }>(
      'mutation ($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }',
      { input: { name: 'Vigevano', slug: unique('vigevano') } },
      { token: operator },
    ),
  ).createCommunity.id;

  async function organization(name: string, kind: string) {
    return dataOf(
      await idGql<{ createOrganization: { id: string } }>(
        'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
        { input: { communityId: community, name, kind } },
        { token: operator },
      ),
    ).createOrganization.id;
  }

  const school = await organization('Liceo Cairoli', 'SCHOOL');
  const agency = await organization('Servizi Sociali Vigevano', 'SOCIAL_AGENCY');
  const sponsor = await organization('Fondazione Vigevano', 'SPONSOR');
  const provider = await organization('Istituto Musicale Costa', 'PROVIDER');
  const schoolStaff = await joins(await signUp('teacher'), school);
  const agencyStaff = await joins(await signUp('social-worker'), agency);

  /** A program on a fund holding just its budget. */
  async function program(terms: { grantCents: number; budgetCents: number } & Record<string, unknown>) {
    const { grantCents, budgetCents, ...rest } = terms;
    const { createFund } = await ok<{ createFund: { id: string } }>(
      'mutation ($input: CreateFundInput!) { createFund(input: $input) { id } }',
      { input: { communityId: community, name: 'Fondo Vigevano' } },
    );
    const { recordContribution } = await ok<{ recordContribution: { id: string } }>(
      'mutation ($input: RecordContributionInput!) { recordContribution(input: $input) { id } }',
      {
        input: {
          fundId: createFund.id,
          sponsorOrganizationId: sponsor,
          amountCents: budgetCents,
          idempotencyKey: unique('pledge'),
        },
      },
    );
    await ok('mutation ($id: ID!) { confirmContribution(id: $id) { id } }', { id: recordContribution.id });
    const { createProgram } = await ok<{ createProgram: { id: string } }>(
      'mutation ($input: CreateProgramInput!) { createProgram(input: $input) { id } }',
      {
        input: {
          fundId: createFund.id,
          name: 'Mentoring 2.1',
          grantAmountCents: grantCents,
          budgetCents,
          spendDeadline: inDays(300),
          ...rest,
        },
      },
    );
    return { fundId: createFund.id, programId: createProgram.id };
  }

  async function remainingBudget(programId: string): Promise<number> {
    const rows = await db.query<{ available: string }>(
      `SELECT credits_posted - debits_posted - debits_pending AS available FROM accounts WHERE id = $1`,
      [`program:${programId}`],
    );
    return Number(rows[0]!.available);
  }

  async function expectLedgerClean() {
    expect((await checkLedger(db)).filter((r) => !r.ok)).toEqual([]);
  }

  /** Events written to the outbox, newest last. */
  async function events(type: string) {
    return db.query<{ queue: string; payload: Record<string, unknown> }>(
      'SELECT queue, payload FROM outbox WHERE type = $1 ORDER BY created_at',
      [type],
    );
  }

  return {
    url,
    identityUrl,
    databaseUrl,
    db,
    gql,
    ok,
    operator,
    community,
    school,
    agency,
    sponsor,
    provider,
    schoolStaff,
    agencyStaff,
    signUp,
    joins,
    program,
    remainingBudget,
    expectLedgerClean,
    events,
    secret,
    redis,
  };
}

export type GrantWorld = Awaited<ReturnType<typeof startGrantWorld>>;

export const ISSUE_GRANT = `mutation IssueGrant($input: IssueGrantInput!) { issueGrant(input: $input) { claimCode grant { id status amountCents balanceCents expiresAt program { id name } beneficiary { id } } } }`;
export const CLAIM_GRANT = `mutation ClaimGrant($code: String!, $guardianConsent: Boolean) { claimGrant(code: $code, guardianConsent: $guardianConsent) { id status balanceCents program { id name } } }`;
export const MY_GRANTS = `query ($id: ID!) { _entities(representations: [{ __typename: "User", id: $id }]) {
  ... on User { grants { id status amountCents balanceCents expiresAt program { id name } beneficiary { id }
    communityId eligibleCategories eligibleProviderIds eligibleOfferingIds spendDeadline } } } }`;

export interface IssuedData {
  issueGrant: {
    claimCode: string;
    grant: {
      id: string;
      status: string;
      amountCents: number;
      balanceCents: number;
      expiresAt: string;
      beneficiary: { id: string };
    };
  };
}

/** A recipient with a unique name (so identity stores a new beneficiary). */
export const recipient = (age = 16, extra: Record<string, unknown> = {}) => ({
  firstName: unique('Giulia'),
  lastName: 'Rossi',
  birthDate: bornYearsAgo(age),
  ...extra,
});
