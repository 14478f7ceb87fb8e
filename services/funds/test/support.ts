// Starts a funds subgraph on a fresh database and gives tests what a caller has:
// GraphQL with signed user tokens, the internal API with a service token, and
// a direct database handle to look at (or tamper with) the rows.
import { randomBytes, randomUUID } from 'node:crypto';
import { type Database, openPostgres } from '@mentoring/db';
import { createInternalClient } from '@mentoring/internal-api';
import { createServiceTokens, type Subgraph } from '@mentoring/subgraph-kit';
import {
  createTestDatabase,
  createTestTokens,
  errorCodes,
  graphqlClient,
  testRedis,
} from '@mentoring/testing';
import { afterAll, expect } from 'vitest';
import { createFunds } from '../src/app';
import { openGrant } from '../src/domain/grants';
import { checkLedger } from '../src/domain/ledger/check';

export { errorCodes };

export const OPERATOR = { userId: 'user-operator', roles: ['OPERATOR'] };

/** An ADMIN (or STAFF) of a sponsor organization. */
export const sponsorMember = (
  organizationId: string,
  role: 'ADMIN' | 'STAFF' = 'ADMIN',
  userId = `user-${role}-${organizationId}`,
) => ({
  userId,
  memberships: [{ organizationId, role, kind: 'SPONSOR' as const }],
});

/** A date `days` from today, YYYY-MM-DD. */
export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export const unique = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

export async function startFunds(label: string) {
  const tokens = await createTestTokens();
  const secret = randomBytes(32).toString('base64url');
  const databaseUrl = await createTestDatabase(label);
  const { redisUrl, prefix } = testRedis(label);
  const funds: Subgraph = await createFunds({
    exactDatabaseUrl: databaseUrl,
    redisUrl,
    redisPrefix: prefix,
    serviceTokenSecret: secret,
    verifyToken: tokens.verifyToken,
    poolSize: 20,
  });
  const url = await funds.listen({ port: 0 });
  const db: Database = openPostgres({ service: 'funds-test', url: databaseUrl, max: 4 });
  afterAll(async () => {
    await funds.close();
    await db.close();
  });

  const gql = graphqlClient(`${url}/graphql`);
  const operatorToken = await tokens.tokenFor(OPERATOR);
  /** The internal API as the redemption service calls it. */
  const serviceTokens = createServiceTokens(secret, 'redemption');
  const internal = createInternalClient({ tokens: serviceTokens, urls: { funds: url } });

  /** Runs a query as `token`, failing the test on any error. */
  async function ok<D>(query: string, variables: Record<string, unknown>, token = operatorToken): Promise<D> {
    const res = await gql<D>(query, variables, { token });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data as D;
  }

  /** A fund holding `cents`, given by a sponsor (contribution recorded and confirmed). */
  async function fundHolding(
    cents: number,
    sponsorId = unique('sponsor'),
    communityId = 'community-vigevano',
  ) {
    const { createFund } = await ok<{ createFund: { id: string } }>(
      'mutation($input: CreateFundInput!) { createFund(input: $input) { id } }',
      { input: { communityId, name: 'Fondo Vigevano' } },
    );
    const { recordContribution } = await ok<{ recordContribution: { id: string } }>(
      'mutation($input: RecordContributionInput!) { recordContribution(input: $input) { id } }',
      {
        input: {
          fundId: createFund.id,
          sponsorOrganizationId: sponsorId,
          amountCents: cents,
          idempotencyKey: unique('pledge'),
        },
      },
    );
    await ok('mutation($id: ID!) { confirmContribution(id: $id) { id } }', { id: recordContribution.id });
    return { fundId: createFund.id, sponsorId, contributionId: recordContribution.id };
  }

  /** A program of `grantCents` grants with `budgetCents`, on a fund just large enough. */
  async function program(
    terms: { grantCents: number; budgetCents: number } & Record<string, unknown>,
    fundId?: string,
  ) {
    const { grantCents, budgetCents, ...rest } = terms;
    const fund = fundId ?? (await fundHolding(budgetCents)).fundId;
    const { createProgram } = await ok<{ createProgram: { id: string } }>(
      'mutation($input: CreateProgramInput!) { createProgram(input: $input) { id } }',
      {
        input: {
          fundId: fund,
          name: 'Mentoring 2.1',
          grantAmountCents: grantCents,
          budgetCents,
          spendDeadline: inDays(300),
          ...rest,
        },
      },
    );
    return { fundId: fund, programId: createProgram.id };
  }

  /** An ACTIVE grant held by `holderUserId`, opened from the program. */
  async function activeGrant(
    programId: string,
    holderUserId = unique('holder'),
    beneficiaryId = unique('beneficiary'),
  ) {
    const grant = await openGrant(db, {
      programId,
      beneficiaryId,
      holderUserId,
      issuedBy: OPERATOR.userId,
      referrerOrganizationId: 'school-cairoli',
    });
    return { grantId: grant.id, holderUserId, beneficiaryId };
  }

  /** Fails the test with the details unless every ledger invariant holds. */
  async function expectLedgerClean() {
    const failed = (await checkLedger(db)).filter((r) => !r.ok);
    expect(failed).toEqual([]);
  }

  return {
    url,
    db,
    gql,
    ok,
    tokens,
    operatorToken,
    secret,
    internal,
    fundHolding,
    program,
    activeGrant,
    expectLedgerClean,
    databaseUrl,
    redis: { redisUrl, prefix },
  };
}

export type FundsHarness = Awaited<ReturnType<typeof startFunds>>;

/** The public error code of a rejected internal call (or 'OK' when it succeeded). */
export async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    return String((error as { extensions?: { code?: string } }).extensions?.code ?? (error as Error).message);
  }
}
