import { waitFor } from '@mentoring/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, type FundsHarness, inDays, sponsorMember, startFunds, unique } from './support';

// The contract's operations, as the frontends send them.
const CREATE_FUND = `mutation CreateFund($input: CreateFundInput!) {
  createFund(input: $input) { id name balanceCents community { id } } }`;
const RECORD_CONTRIBUTION = `mutation RecordContribution($input: RecordContributionInput!) {
  recordContribution(input: $input) { id status amountCents sponsor { id } fund { id } } }`;
const CONFIRM_CONTRIBUTION = `mutation ConfirmContribution($id: ID!) {
  confirmContribution(id: $id) { id status fund { id balanceCents } } }`;
const CANCEL_CONTRIBUTION = 'mutation($id: ID!) { cancelContribution(id: $id) { id status } }';
const CREATE_PROGRAM = `mutation CreateProgram($input: CreateProgramInput!) {
  createProgram(input: $input) { id name grantAmountCents budgetCents remainingBudgetCents spendDeadline fund { id balanceCents } } }`;
const FUND_OVERVIEW = `query FundOverview($id: ID!) {
  fund(id: $id) { id name balanceCents contributions { id status amountCents sponsor { id } }
    programs { id name budgetCents remainingBudgetCents grantsIssued } } }`;

let h: FundsHarness;
let token: (viewer: Parameters<FundsHarness['tokens']['tokenFor']>[0]) => Promise<string>;

beforeAll(async () => {
  h = await startFunds('funds_funding');
  token = (viewer) => h.tokens.tokenFor(viewer);
});

async function emptyFund() {
  const res = await h.gql<{ createFund: { id: string } }>(
    CREATE_FUND,
    { input: { communityId: 'community-vigevano', name: 'Fondo Mentoring' } },
    { token: h.operatorToken },
  );
  return res.data!.createFund.id;
}

const pledge = (fundId: string, sponsorId: string, amountCents: number, idempotencyKey = unique('key')) => ({
  input: { fundId, sponsorOrganizationId: sponsorId, amountCents, idempotencyKey },
});

describe('creating a fund', () => {
  it('lets an operator create an empty fund in a community', async () => {
    const res = await h.gql(
      CREATE_FUND,
      { input: { communityId: 'community-vigevano', name: '  Fondo Vigevano  ' } },
      { token: h.operatorToken },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.createFund).toEqual({
      id: expect.any(String),
      name: 'Fondo Vigevano',
      balanceCents: 0,
      community: { id: 'community-vigevano' },
    });
  });

  it('asks anonymous callers to sign in and refuses everyone but operators', async () => {
    const input = { input: { communityId: 'c', name: 'Fondo' } };
    expect(errorCodes(await h.gql(CREATE_FUND, input))).toEqual(['UNAUTHENTICATED']);
    const sponsor = await token(sponsorMember('sponsor-x'));
    expect(errorCodes(await h.gql(CREATE_FUND, input, { token: sponsor }))).toEqual(['FORBIDDEN']);
  });

  it('refuses a fund without a name', async () => {
    const res = await h.gql(
      CREATE_FUND,
      { input: { communityId: 'c', name: '   ' } },
      { token: h.operatorToken },
    );
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('recording a contribution', () => {
  it('lets an admin of the sponsor pledge money to a fund', async () => {
    const fundId = await emptyFund();
    const admin = await token(sponsorMember('sponsor-fondazione'));
    const res = await h.gql(RECORD_CONTRIBUTION, pledge(fundId, 'sponsor-fondazione', 500_000), {
      token: admin,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.recordContribution).toEqual({
      id: expect.any(String),
      status: 'PLEDGED',
      amountCents: 500_000,
      sponsor: { id: 'sponsor-fondazione' },
      fund: { id: fundId },
    });
  });

  it('refuses staff of the sponsor, admins of other organizations and non-sponsor admins', async () => {
    const fundId = await emptyFund();
    const viewers = [
      sponsorMember('sponsor-a', 'STAFF'),
      sponsorMember('sponsor-b', 'ADMIN'),
      {
        userId: 'school-admin',
        memberships: [{ organizationId: 'sponsor-a', role: 'ADMIN' as const, kind: 'SCHOOL' as const }],
      },
    ];
    for (const viewer of viewers) {
      const res = await h.gql(RECORD_CONTRIBUTION, pledge(fundId, 'sponsor-a', 100), {
        token: await token(viewer),
      });
      expect(errorCodes(res), viewer.userId).toEqual(['FORBIDDEN']);
    }
    expect(errorCodes(await h.gql(RECORD_CONTRIBUTION, pledge(fundId, 'sponsor-a', 100)))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('returns the first contribution when the same request is retried with its idempotency key', async () => {
    const fundId = await emptyFund();
    const request = pledge(fundId, 'sponsor-retry', 12_345, 'pledge-2025-01');
    const first = await h.ok<{ recordContribution: { id: string } }>(RECORD_CONTRIBUTION, request);
    const again = await h.ok<{ recordContribution: { id: string } }>(
      RECORD_CONTRIBUTION,
      request,
      await token(sponsorMember('sponsor-retry')),
    );
    expect(again.recordContribution.id).toBe(first.recordContribution.id);
  });

  it('refuses to reuse an idempotency key for a different contribution', async () => {
    const fundId = await emptyFund();
    await h.ok(RECORD_CONTRIBUTION, pledge(fundId, 'sponsor-conflict', 1000, 'same-key'));
    const res = await h.gql(RECORD_CONTRIBUTION, pledge(fundId, 'sponsor-conflict', 2000, 'same-key'), {
      token: h.operatorToken,
    });
    expect(errorCodes(res)).toEqual(['IDEMPOTENCY_CONFLICT']);
  });

  it('records one contribution when 50 identical requests arrive at once', async () => {
    const fundId = await emptyFund();
    const request = pledge(fundId, 'sponsor-burst', 700, 'burst-key');
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        h.gql<{ recordContribution: { id: string } }>(RECORD_CONTRIBUTION, request, {
          token: h.operatorToken,
        }),
      ),
    );
    expect(results.flatMap(errorCodes)).toEqual([]);
    expect(new Set(results.map((r) => r.data?.recordContribution.id)).size).toBe(1);
    const rows = await h.db.query('SELECT id FROM contributions WHERE fund_id = $1', [fundId]);
    expect(rows).toHaveLength(1);
  });

  it('refuses an unknown fund and amounts that are not positive', async () => {
    const unknown = await h.gql(
      RECORD_CONTRIBUTION,
      pledge('00000000-0000-4000-8000-000000000000', 's', 100),
      {
        token: h.operatorToken,
      },
    );
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    const fundId = await emptyFund();
    for (const amount of [0, -5]) {
      const res = await h.gql(RECORD_CONTRIBUTION, pledge(fundId, 's', amount), { token: h.operatorToken });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('confirming and cancelling a contribution', () => {
  it('credits the fund when an operator confirms the money arrived', async () => {
    const fundId = await emptyFund();
    const { recordContribution } = await h.ok<{ recordContribution: { id: string } }>(
      RECORD_CONTRIBUTION,
      pledge(fundId, 'sponsor-confirm', 250_000),
    );
    const res = await h.ok<{ confirmContribution: unknown }>(CONFIRM_CONTRIBUTION, {
      id: recordContribution.id,
    });
    expect(res.confirmContribution).toEqual({
      id: recordContribution.id,
      status: 'RECEIVED',
      fund: { id: fundId, balanceCents: 250_000 },
    });
  });

  it('credits the fund once however many times, and however concurrently, it is confirmed', async () => {
    const fundId = await emptyFund();
    const { recordContribution } = await h.ok<{ recordContribution: { id: string } }>(
      RECORD_CONTRIBUTION,
      pledge(fundId, 'sponsor-twice', 10_000),
    );
    const confirmations = await Promise.all(
      Array.from({ length: 10 }, () =>
        h.gql<{ confirmContribution: { fund: { balanceCents: number } } }>(
          CONFIRM_CONTRIBUTION,
          { id: recordContribution.id },
          { token: h.operatorToken },
        ),
      ),
    );
    expect(confirmations.flatMap(errorCodes)).toEqual([]);
    const again = await h.ok<{ confirmContribution: { status: string; fund: { balanceCents: number } } }>(
      CONFIRM_CONTRIBUTION,
      { id: recordContribution.id },
    );
    expect(again.confirmContribution).toMatchObject({ status: 'RECEIVED', fund: { balanceCents: 10_000 } });
    const events = await h.db.query(
      "SELECT payload FROM outbox WHERE type = 'contribution.received' AND payload->>'contributionId' = $1",
      [recordContribution.id],
    );
    expect(events).toHaveLength(1);
    await h.expectLedgerClean();
  });

  it('announces the received contribution on the notifications queue', async () => {
    const { contributionId, fundId, sponsorId } = await h.fundHolding(4_200);
    const redis = new Redis(h.redis.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue('notifications', { connection: redis, prefix: h.redis.prefix });
    try {
      const [event] = await h.db.query<{ id: string }>(
        "SELECT id FROM outbox WHERE payload->>'contributionId' = $1",
        [contributionId],
      );
      const job = await waitFor(() => queue.getJob(event!.id), { what: 'the contribution.received job' });
      expect(job.name).toBe('contribution.received');
      expect(job.data.payload).toMatchObject({
        contributionId,
        fundId,
        fundName: expect.any(String),
        sponsorOrganizationId: sponsorId,
        communityId: 'community-vigevano',
        amountCents: 4_200,
      });
    } finally {
      await queue.close();
      redis.disconnect();
    }
  });

  it('only lets operators confirm or cancel', async () => {
    const fundId = await emptyFund();
    const { recordContribution } = await h.ok<{ recordContribution: { id: string } }>(
      RECORD_CONTRIBUTION,
      pledge(fundId, 'sponsor-self', 100),
    );
    const admin = await token(sponsorMember('sponsor-self'));
    for (const mutation of [CONFIRM_CONTRIBUTION, CANCEL_CONTRIBUTION]) {
      expect(errorCodes(await h.gql(mutation, { id: recordContribution.id }, { token: admin }))).toEqual([
        'FORBIDDEN',
      ]);
      expect(errorCodes(await h.gql(mutation, { id: recordContribution.id }))).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('cancels a pledge, and then will not confirm it', async () => {
    const fundId = await emptyFund();
    const { recordContribution } = await h.ok<{ recordContribution: { id: string } }>(
      RECORD_CONTRIBUTION,
      pledge(fundId, 'sponsor-cancel', 100),
    );
    const cancelled = await h.ok<{ cancelContribution: { status: string } }>(CANCEL_CONTRIBUTION, {
      id: recordContribution.id,
    });
    expect(cancelled.cancelContribution.status).toBe('CANCELLED');
    const res = await h.gql(CONFIRM_CONTRIBUTION, { id: recordContribution.id }, { token: h.operatorToken });
    expect(errorCodes(res)).toEqual(['ALREADY_FINAL']);
  });

  it('will not cancel money that already arrived', async () => {
    const { contributionId } = await h.fundHolding(100);
    const res = await h.gql(CANCEL_CONTRIBUTION, { id: contributionId }, { token: h.operatorToken });
    expect(errorCodes(res)).toEqual(['ALREADY_FINAL']);
  });

  it('says when the contribution does not exist', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      expect(errorCodes(await h.gql(CONFIRM_CONTRIBUTION, { id }, { token: h.operatorToken }))).toEqual([
        'NOT_FOUND',
      ]);
    }
  });
});

describe('creating a program', () => {
  const terms = (fundId: string, extra: Record<string, unknown> = {}) => ({
    input: {
      fundId,
      name: 'Mentoring 2.1',
      grantAmountCents: 8_000,
      budgetCents: 80_000,
      maxAge: 17,
      eligibleProviderIds: ['provider-costa'],
      eligibleCategories: ['music'],
      issueUntil: inDays(100),
      spendDeadline: inDays(200),
      ...extra,
    },
  });

  it('moves the budget from the fund into the new program', async () => {
    const { fundId } = await h.fundHolding(100_000);
    const { createProgram } = await h.ok<{ createProgram: Record<string, unknown> }>(
      CREATE_PROGRAM,
      terms(fundId),
    );
    expect(createProgram).toEqual({
      id: expect.any(String),
      name: 'Mentoring 2.1',
      grantAmountCents: 8_000,
      budgetCents: 80_000,
      remainingBudgetCents: 80_000,
      spendDeadline: inDays(200),
      fund: { id: fundId, balanceCents: 20_000 },
    });
    await h.expectLedgerClean();
  });

  it('refuses a budget the fund cannot cover and leaves the fund as it was', async () => {
    const { fundId } = await h.fundHolding(50_000);
    const res = await h.gql(CREATE_PROGRAM, terms(fundId), { token: h.operatorToken });
    expect(errorCodes(res)).toEqual(['INSUFFICIENT_FUNDS']);
    const overview = await h.ok<{ fund: { balanceCents: number; programs: unknown[] } }>(FUND_OVERVIEW, {
      id: fundId,
    });
    expect(overview.fund).toMatchObject({ balanceCents: 50_000, programs: [] });
  });

  it.each([
    ['a grant of zero', { grantAmountCents: 0 }],
    ['a negative budget', { budgetCents: -1 }],
    ['a budget smaller than one grant', { budgetCents: 7_999 }],
    ['a minimum age above the maximum', { minAge: 18, maxAge: 17 }],
    ['an age above 120', { maxAge: 121 }],
    ['a negative age', { minAge: -1 }],
    ['a spend deadline in the past', { spendDeadline: inDays(-1), issueUntil: null }],
    ['a spend deadline today', { spendDeadline: inDays(0), issueUntil: null }],
    ['a spend deadline before the last issue day', { issueUntil: inDays(50), spendDeadline: inDays(40) }],
    ['a date that does not exist', { spendDeadline: '2031-02-30' }],
    ['a category that is not a slug', { eligibleCategories: ['Music!'] }],
    ['an empty provider id', { eligibleProviderIds: [' '] }],
    ['an empty name', { name: ' ' }],
  ])('refuses %s', async (_, extra) => {
    const { fundId } = await h.fundHolding(100_000);
    const res = await h.gql(CREATE_PROGRAM, terms(fundId, extra), { token: h.operatorToken });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it('only lets operators create programs', async () => {
    const { fundId, sponsorId } = await h.fundHolding(100_000);
    const admin = await token(sponsorMember(sponsorId));
    expect(errorCodes(await h.gql(CREATE_PROGRAM, terms(fundId), { token: admin }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await h.gql(CREATE_PROGRAM, terms(fundId)))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('the fund overview', () => {
  it('shows operators the balance, every contribution and each program with its remaining budget', async () => {
    const { fundId, contributionId, sponsorId } = await h.fundHolding(100_000);
    const other = await h.ok<{ recordContribution: { id: string } }>(
      RECORD_CONTRIBUTION,
      pledge(fundId, 'sponsor-other', 30_000),
    );
    const { programId } = await h.program({ grantCents: 8_000, budgetCents: 40_000 }, fundId);
    await h.activeGrant(programId);
    await h.activeGrant(programId);

    const { fund } = await h.ok<{ fund: Record<string, unknown> }>(FUND_OVERVIEW, { id: fundId });
    expect(fund).toEqual({
      id: fundId,
      name: 'Fondo Vigevano',
      balanceCents: 60_000,
      contributions: [
        { id: contributionId, status: 'RECEIVED', amountCents: 100_000, sponsor: { id: sponsorId } },
        {
          id: other.recordContribution.id,
          status: 'PLEDGED',
          amountCents: 30_000,
          sponsor: { id: 'sponsor-other' },
        },
      ],
      programs: [
        {
          id: programId,
          name: 'Mentoring 2.1',
          budgetCents: 40_000,
          remainingBudgetCents: 24_000,
          grantsIssued: 2,
        },
      ],
    });
  });

  it("shows a sponsor's members the fund with their own contributions only", async () => {
    const { fundId, sponsorId } = await h.fundHolding(100_000);
    await h.ok(RECORD_CONTRIBUTION, pledge(fundId, 'sponsor-other', 30_000));
    const staff = await token(sponsorMember(sponsorId, 'STAFF'));
    const { fund } = await h.ok<{ fund: { contributions: { sponsor: { id: string } }[] } }>(
      FUND_OVERVIEW,
      { id: fundId },
      staff,
    );
    expect(fund.contributions.map((c) => c.sponsor.id)).toEqual([sponsorId]);
  });

  it('is not shown to sponsors that did not contribute, nor to anonymous callers', async () => {
    const { fundId } = await h.fundHolding(100);
    const stranger = await token(sponsorMember('sponsor-stranger'));
    expect(errorCodes(await h.gql(FUND_OVERVIEW, { id: fundId }, { token: stranger }))).toEqual([
      'FORBIDDEN',
    ]);
    const user = await token({ userId: 'just-a-user' });
    expect(errorCodes(await h.gql(FUND_OVERVIEW, { id: fundId }, { token: user }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await h.gql(FUND_OVERVIEW, { id: fundId }))).toEqual(['UNAUTHENTICATED']);
  });

  it('tells operators when the fund does not exist', async () => {
    const res = await h.gql(
      FUND_OVERVIEW,
      { id: '00000000-0000-4000-8000-000000000000' },
      { token: h.operatorToken },
    );
    expect(errorCodes(res)).toEqual(['NOT_FOUND']);
  });
});
