import { randomUUID } from 'node:crypto';
import { createInternalClient, fundsApi } from '@mentoring/internal-api';
import { createServiceTokens } from '@mentoring/subgraph-kit';
import { waitFor } from '@mentoring/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { runGrantMaintenance } from '../src/domain/grant-lifecycle';
import {
  GRANT_EXPIRY_JOB,
  GRANT_EXPIRY_SCHEDULER,
  MAINTENANCE_QUEUE,
  startMaintenance,
} from '../src/jobs/maintenance';
import {
  CLAIM_GRANT,
  errorCodes,
  type GrantWorld,
  ISSUE_GRANT,
  type IssuedData,
  inDays,
  recipient,
  startGrantWorld,
  unique,
} from './grant-world';

let w: GrantWorld;
/** The internal API as the redemption service calls it. */
let redemption: ReturnType<typeof createInternalClient>;

beforeAll(async () => {
  w = await startGrantWorld('funds_lifecycle');
  redemption = createInternalClient({
    tokens: createServiceTokens(w.secret, 'redemption'),
    urls: { funds: w.url },
  });
});

const REVOKE =
  'mutation ($id: ID!, $reason: String) { revokeGrant(id: $id, reason: $reason) { id status balanceCents } }';

/** A grant issued by the school (and claimed by a new user when `claimed`). */
async function grantOf(terms: Record<string, unknown>, { claimed = true, grantCents = 1_000 } = {}) {
  const { programId } = await w.program({ grantCents, budgetCents: grantCents * 3, ...terms });
  const { issueGrant } = await w.ok<IssuedData>(
    ISSUE_GRANT,
    {
      input: {
        programId,
        referrerOrganizationId: w.school,
        idempotencyKey: unique('key'),
        recipient: recipient(16, { email: 'giulia@example.test' }),
      },
    },
    w.schoolStaff.token,
  );
  const holder = await w.signUp('holder');
  if (claimed) await w.ok(CLAIM_GRANT, { code: issueGrant.claimCode }, holder.token);
  return { programId, grantId: issueGrant.grant.id, holder };
}

const hold = (grantId: string, amountCents: number, redemptionId = randomUUID()) =>
  redemption(fundsApi.authorizePayment, {
    redemptionId,
    grantId,
    providerId: w.provider,
    offeringId: 'offering-enrollment',
    category: 'music',
    amountCents,
  });

const statusOf = async (grantId: string) =>
  (await w.db.query<{ status: string }>('SELECT status FROM grants WHERE id = $1', [grantId]))[0]!.status;

const grantBalance = async (grantId: string) =>
  Number(
    (
      await w.db.query<{ available: string }>(
        'SELECT credits_posted - debits_posted - debits_pending AS available FROM accounts WHERE id = $1',
        [`grant:${grantId}`],
      )
    )[0]!.available,
  );

describe('revoking a grant', () => {
  it('gives its available balance back to the program, leaving held payments alone', async () => {
    const { programId, grantId } = await grantOf({});
    await hold(grantId, 300);
    const { revokeGrant } = await w.ok<{ revokeGrant: { status: string; balanceCents: number } }>(REVOKE, {
      id: grantId,
      reason: 'Family moved away',
    });
    expect(revokeGrant).toMatchObject({ status: 'REVOKED', balanceCents: 0 });
    expect(await w.remainingBudget(programId)).toBe(2_000 + 700);
    const [row] = await w.db.query<{ debits_pending: string }>(
      'SELECT debits_pending FROM accounts WHERE id = $1',
      [`grant:${grantId}`],
    );
    expect(Number(row!.debits_pending)).toBe(300);
    await w.expectLedgerClean();
  });

  it('is for operators only, and happens once', async () => {
    const { grantId, holder } = await grantOf({});
    expect(errorCodes(await w.gql(REVOKE, { id: grantId }, { token: w.schoolStaff.token }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(errorCodes(await w.gql(REVOKE, { id: grantId }, { token: holder.token }))).toEqual(['FORBIDDEN']);
    await w.ok(REVOKE, { id: grantId });
    expect(errorCodes(await w.gql(REVOKE, { id: grantId }, { token: w.operator }))).toEqual([
      'ALREADY_FINAL',
    ]);
    expect(errorCodes(await w.gql(REVOKE, { id: randomUUID() }, { token: w.operator }))).toEqual([
      'NOT_FOUND',
    ]);
  });

  it('stops the grant from paying, and refunds no longer land on it', async () => {
    const { grantId } = await grantOf({});
    const redemptionId = randomUUID();
    await hold(grantId, 400, redemptionId);
    await redemption(fundsApi.capturePayment, { redemptionId });
    await w.ok(REVOKE, { id: grantId });
    await expect(hold(grantId, 100)).rejects.toMatchObject({ extensions: { code: 'NOT_ELIGIBLE' } });
    await expect(redemption(fundsApi.refundPayment, { redemptionId })).rejects.toMatchObject({
      extensions: { code: 'NOT_ELIGIBLE' },
    });
  });
});

describe('the expiry job', () => {
  it('expires grants nobody claimed once issuing closed, giving their money back to the program', async () => {
    const { programId, grantId } = await grantOf({ issueUntil: inDays(2) }, { claimed: false });
    expect(await w.remainingBudget(programId)).toBe(2_000);
    await runGrantMaintenance(w.db, { now: new Date(`${inDays(3)}T00:00:00Z`) });
    expect(await statusOf(grantId)).toBe('EXPIRED');
    expect(await w.remainingBudget(programId)).toBe(3_000);
    const [event] = (await w.events('grant.expired')).filter((e) => e.payload.grantId === grantId);
    expect(event).toEqual({
      queue: 'notifications',
      payload: { grantId, programName: 'Mentoring 2.1', returnedCents: 1_000 },
    });
    await w.expectLedgerClean();
  });

  it('expires claimed grants after the spend deadline, returning what is left but not the held payments', async () => {
    const { programId, grantId, holder } = await grantOf({ spendDeadline: inDays(4) });
    const redemptionId = randomUUID();
    await hold(grantId, 250, redemptionId);
    await runGrantMaintenance(w.db, { now: new Date(`${inDays(5)}T00:00:00Z`) });
    expect(await statusOf(grantId)).toBe('EXPIRED');
    expect(await w.remainingBudget(programId)).toBe(2_000 + 750);
    const [event] = (await w.events('grant.expired')).filter((e) => e.payload.grantId === grantId);
    expect(event?.payload).toEqual({
      grantId,
      programName: 'Mentoring 2.1',
      holderUserId: holder.id,
      returnedCents: 750,
    });
    // The hold ends with its redemption: voided later, it comes back to the expired grant, and the next run returns it.
    await redemption(fundsApi.voidPayment, { redemptionId });
    expect(await grantBalance(grantId)).toBe(250);
    await expect(hold(grantId, 100)).rejects.toMatchObject({ extensions: { code: 'NOT_ELIGIBLE' } });
    await runGrantMaintenance(w.db);
    expect(await grantBalance(grantId)).toBe(0);
    expect(await w.remainingBudget(programId)).toBe(3_000);
    await w.expectLedgerClean();
  });

  it('run twice at the same time changes nothing twice', async () => {
    const grants = await Promise.all(
      Array.from({ length: 6 }, () => grantOf({ issueUntil: inDays(1) }, { claimed: false })),
    );
    const now = new Date(`${inDays(2)}T12:00:00Z`);
    const [a, b] = await Promise.all([
      runGrantMaintenance(w.db, { now, batchSize: 2 }),
      runGrantMaintenance(w.db, { now, batchSize: 2 }),
    ]);
    const ids = grants.map((g) => g.grantId);
    expect(a.expired + b.expired).toBeGreaterThanOrEqual(ids.length);
    for (const g of grants) {
      expect(await statusOf(g.grantId)).toBe('EXPIRED');
      expect(await w.remainingBudget(g.programId)).toBe(3_000);
    }
    const returns = await w.db.query('SELECT 1 FROM transfers WHERE idempotency_key = ANY($1::text[])', [
      ids.map((id) => `expire:${id}`),
    ]);
    expect(returns).toHaveLength(ids.length);
    const events = (await w.events('grant.expired')).filter((e) => ids.includes(e.payload.grantId as string));
    expect(events).toHaveLength(ids.length);
    expect(await runGrantMaintenance(w.db, { now })).toMatchObject({ expired: 0, reminded: 0 });
    await w.expectLedgerClean();
  });

  it('tells the holder once, 7 days before their grant expires', async () => {
    const { grantId, holder } = await grantOf({ spendDeadline: inDays(6) });
    await runGrantMaintenance(w.db);
    await runGrantMaintenance(w.db);
    const events = (await w.events('grant.expiring')).filter((e) => e.payload.grantId === grantId);
    expect(events).toEqual([
      {
        queue: 'notifications',
        payload: {
          grantId,
          programName: 'Mentoring 2.1',
          holderUserId: holder.id,
          balanceCents: 1_000,
          expiresAt: `${inDays(6)}T23:59:59.999Z`,
        },
      },
    ]);
    expect(await statusOf(grantId)).toBe('ACTIVE');
  });

  it('is scheduled once on the funds-maintenance queue and its worker expires what is due', async () => {
    const connection = new Redis(w.redis.redisUrl, { maxRetriesPerRequest: null });
    const maintenance = await startMaintenance({
      db: w.db,
      redis: connection,
      prefix: w.redis.prefix,
      everyMs: 500,
    });
    const again = await startMaintenance({
      db: w.db,
      redis: connection,
      prefix: w.redis.prefix,
      everyMs: 500,
    });
    try {
      const queue = new Queue(MAINTENANCE_QUEUE, { connection, prefix: w.redis.prefix });
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers).toHaveLength(1);
      expect(schedulers[0]).toMatchObject({
        key: GRANT_EXPIRY_SCHEDULER,
        name: GRANT_EXPIRY_JOB,
        every: 500,
      });
      await queue.close();
      const { grantId } = await grantOf({}, { claimed: false });
      await w.db.query(`UPDATE grants SET expires_at = now() - interval '1 second' WHERE id = $1`, [grantId]);
      await waitFor(async () => (await statusOf(grantId)) === 'EXPIRED', {
        what: 'the job to expire the grant',
      });
    } finally {
      await again.close();
      await maintenance.close();
      connection.disconnect();
    }
  });
});
