// A community on the real stack (four subgraphs + gateway) with money to settle:
// a funded program, a grant issued by a school and claimed by its holder, and
// captured payments to a provider with an IBAN, made through funds' internal
// API as the redemption service would. The stack's funds keeps the default
// 14-day hold (startStack passes no settlementHoldDays), so the captures are
// dated back three weeks in funds' database to be old enough to settle.
import { randomUUID } from 'node:crypto';
import { type Stack, startStack } from '@mentoring/stack';
import { createServiceTokens } from '@mentoring/subgraph-kit';
import { graphqlClient, testRedis } from '@mentoring/testing';
import pg from 'pg';

type Gql = ReturnType<typeof graphqlClient>;

export interface SettlementWorld {
  stack: Stack;
  gql: Gql;
  operatorToken: string;
  /** Slug of the community with captures, and of one with nothing to settle. */
  community: { id: string; slug: string };
  quietCommunity: { id: string; slug: string };
  provider: { id: string; name: string };
  /** The captured amounts, all older than the hold. */
  capturedCents: number[];
  /** Runs SQL on funds' database (e.g. to break the ledger on purpose). */
  fundsSql(text: string, values?: unknown[]): Promise<void>;
  /** Signs a user up and makes them an operator; returns their credentials. */
  newOperator(name: string): Promise<{ email: string; password: string }>;
  close(): Promise<void>;
}

const PASSWORD = 'a-long-password';
const IBAN = 'IT60X0542811101000000123456';

async function ok<D>(gql: Gql, query: string, variables: Record<string, unknown>, token?: string) {
  const res = await gql<D>(query, variables, token ? { token } : {});
  if (res.errors) throw new Error(`${query.slice(0, 50)}…: ${JSON.stringify(res.errors)}`);
  return res.data as D;
}

/** The stack names its databases `s_<label>_<random>_<service>`. */
async function fundsDatabaseUrl(postgresUrl: string, label: string): Promise<string> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 's\\_' || $1 || '\\_%\\_funds'",
      [label],
    );
    if (rows.length !== 1) throw new Error(`expected one funds database for ${label}, found ${rows.length}`);
    const url = new URL(postgresUrl);
    url.pathname = `/${rows[0]!.datname}`;
    return url.toString();
  } finally {
    await client.end();
  }
}

export async function startSettlementWorld(postgresUrl: string, capturedCents: number[]) {
  const label = `opsset_${randomUUID().slice(0, 6)}`;
  const { redisUrl, prefix } = testRedis(label);
  const stack = await startStack({ postgresUrl, redisUrl, redisPrefix: prefix, label });
  try {
    const gql = graphqlClient(stack.gatewayUrl);
    const logIn = async (email: string, password = PASSWORD) =>
      (
        await ok<{ logIn: { token: string; user: { id: string } } }>(
          gql,
          'mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { token user { id } } }',
          { email, password },
        )
      ).logIn;
    const signUp = async (name: string) => {
      const email = `${name}-${randomUUID().slice(0, 8)}@example.org`;
      const { signUp: s } = await ok<{ signUp: { token: string; user: { id: string } } }>(
        gql,
        'mutation($input: SignUpInput!) { signUp(input: $input) { token user { id } } }',
        { input: { email, password: PASSWORD, displayName: name } },
      );
      return { email, id: s.user.id, token: s.token };
    };
    const operatorToken = (await logIn(stack.operator.email, stack.operator.password)).token;
    const asOperator = <D>(query: string, variables: Record<string, unknown>) =>
      ok<D>(gql, query, variables, operatorToken);

    const createCommunity = async (name: string, slug: string) => ({
      slug,
      id: (
        await asOperator<{ createCommunity: { id: string } }>(
          'mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }',
          { input: { name, slug } },
        )
      ).createCommunity.id,
    });
    const community = await createCommunity('Vigevano', 'vigevano');
    const quietCommunity = await createCommunity('Pavia', 'pavia');
    const organization = async (name: string, kind: string, iban?: string) =>
      (
        await asOperator<{ createOrganization: { id: string } }>(
          'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
          { input: { communityId: community.id, name, kind, ...(iban ? { iban } : {}) } },
        )
      ).createOrganization.id;
    const provider = { id: '', name: 'Istituto Musicale Costa' };
    provider.id = await organization(provider.name, 'PROVIDER', IBAN);
    const sponsorId = await organization('Fondazione Comunitaria', 'SPONSOR');
    const schoolId = await organization('Scuola Media Bussi', 'SCHOOL');

    // Money: a fund, a confirmed contribution, a program.
    const { createFund } = await asOperator<{ createFund: { id: string } }>(
      'mutation($input: CreateFundInput!) { createFund(input: $input) { id } }',
      { input: { communityId: community.id, name: 'Fondo giovani' } },
    );
    const { recordContribution } = await asOperator<{ recordContribution: { id: string } }>(
      'mutation($input: RecordContributionInput!) { recordContribution(input: $input) { id } }',
      {
        input: {
          fundId: createFund.id,
          sponsorOrganizationId: sponsorId,
          amountCents: 1_000_000,
          idempotencyKey: 'seed',
        },
      },
    );
    await asOperator('mutation($id: ID!) { confirmContribution(id: $id) { id } }', {
      id: recordContribution.id,
    });
    const { createProgram } = await asOperator<{ createProgram: { id: string } }>(
      'mutation($input: CreateProgramInput!) { createProgram(input: $input) { id } }',
      {
        input: {
          fundId: createFund.id,
          name: 'Programma musica',
          grantAmountCents: 20_000,
          budgetCents: 100_000,
          spendDeadline: `${new Date().getUTCFullYear() + 1}-08-31`,
        },
      },
    );

    // A grant: issued by the school's staff, claimed by its holder.
    const staff = await signUp('teacher');
    await asOperator('mutation($input: AddMemberInput!) { addMember(input: $input) { role } }', {
      input: { organizationId: schoolId, email: staff.email, role: 'ADMIN' },
    });
    const staffToken = (await logIn(staff.email)).token;
    const { issueGrant } = await ok<{ issueGrant: { claimCode: string } }>(
      gql,
      'mutation($input: IssueGrantInput!) { issueGrant(input: $input) { claimCode } }',
      {
        input: {
          programId: createProgram.id,
          referrerOrganizationId: schoolId,
          idempotencyKey: 'grant-1',
          recipient: { firstName: 'Luca', lastName: 'Rossi', birthDate: '2008-03-14' },
        },
      },
      staffToken,
    );
    const holder = await signUp('holder');
    const { claimGrant } = await ok<{ claimGrant: { id: string; status: string } }>(
      gql,
      'mutation($code: String!) { claimGrant(code: $code) { id status } }',
      { code: issueGrant.claimCode },
      holder.token,
    );
    if (claimGrant.status !== 'ACTIVE') throw new Error(`the claimed grant is ${claimGrant.status}`);

    // Captured payments, as the redemption service makes them.
    const tokens = createServiceTokens(stack.serviceTokenSecret, 'redemption');
    const internal = async (route: string, input: Record<string, unknown>) => {
      const response = await fetch(`${stack.urls.funds}/internal/${route}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await tokens.sign('funds')}`,
        },
        body: JSON.stringify(input),
      });
      if (!response.ok) throw new Error(`${route}: HTTP ${response.status} ${await response.text()}`);
    };
    for (const amountCents of capturedCents) {
      const redemptionId = randomUUID();
      await internal('authorizePayment', {
        redemptionId,
        grantId: claimGrant.id,
        providerId: provider.id,
        offeringId: randomUUID(),
        category: 'music',
        amountCents,
      });
      await internal('capturePayment', { redemptionId });
    }

    const fundsPool = new pg.Pool({ connectionString: await fundsDatabaseUrl(postgresUrl, label), max: 1 });
    const fundsSql = async (text: string, values: unknown[] = []) => {
      await fundsPool.query(text, values);
    };
    await fundsSql(
      "UPDATE transfers SET created_at = now() - interval '21 days' WHERE kind = 'CAPTURE' AND credit_account = $1",
      [`provider:${provider.id}`],
    );

    const newOperator = async (name: string) => {
      const person = await signUp(name);
      await asOperator('mutation($id: ID!) { grantOperator(userId: $id) { id } }', { id: person.id });
      return { email: person.email, password: PASSWORD };
    };

    const world: SettlementWorld = {
      stack,
      gql,
      operatorToken,
      community,
      quietCommunity,
      provider,
      capturedCents,
      fundsSql,
      newOperator,
      async close() {
        await fundsPool.end();
        await stack.close();
      },
    };
    return world;
  } catch (error) {
    await stack.close();
    throw error;
  }
}
