// Exactly once under SIGKILL: the settlement worker runs as a separate process
// (src/worker.ts) and is killed at random points while it groups 300 captures
// across 20 providers, then restarted; the run must end complete and exact.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Database } from '@mentoring/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { approveSettlementRun } from '../src/domain/settlement/settlement';
import { IBANS, type SettlementWorld, startSettlementWorld } from './settlement-world';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const PROVIDERS = 20;
const CAPTURES = 300;
const KILLS = 10;

let w: SettlementWorld;
beforeAll(async () => {
  // The API neither relays nor settles: the child process does both.
  w = await startSettlementWorld('funds_settlement_kill', { settlement: false, outboxRelay: false });
});

function startWorker(): { child: ChildProcess; ready: Promise<void>; exited: Promise<unknown> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/funds/src/worker.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: w.databaseUrl,
      REDIS_URL: w.redis.redisUrl,
      REDIS_PREFIX: w.redis.prefix,
      IDENTITY_URL: w.identityUrl,
      SERVICE_TOKEN_SECRET: w.secret,
      SETTLEMENT_HOLD_DAYS: '0',
      SETTLEMENT_THROTTLE_MS: '200',
      SETTLEMENT_SWEEP_AFTER_MS: '0',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const ready = new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('settlement worker ready')) resolve();
    });
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('exit', (code) =>
      reject(new Error(`worker exited (${code}) before ready: ${err.slice(0, 2000)}`)),
    );
  });
  return { child, ready, exited };
}

const payoutCount = async (runId: string) =>
  Number(
    (await w.db.query<{ n: string }>('SELECT count(*) AS n FROM payouts WHERE run_id = $1', [runId]))[0]!.n,
  );

/** Until the worker made progress on the run (a new payout) or the run is done (at most 15 s). */
async function workStarted(runId: string, before: number) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const [run] = await w.db.query<{ status: string }>('SELECT status FROM settlement_runs WHERE id = $1', [
      runId,
    ]);
    if (run?.status !== 'QUEUED' && run?.status !== 'RUNNING') return;
    if ((await payoutCount(runId)) > before) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a settlement worker killed at random points', () => {
  let runId: string;
  let town: string;
  let expectedTotal = 0;

  beforeAll(async () => {
    town = await w.community('Kill Town');
    const providers: string[] = [];
    for (let i = 0; i < PROVIDERS; i++)
      providers.push(await w.provider(town, `Provider ${i}`, IBANS[i % 3]!));
    const grants = await Promise.all(Array.from({ length: 15 }, () => w.grant()));
    // 300 captures, 20 per grant (each under 5000 cents), round-robin over providers.
    for (let batch = 0; batch < CAPTURES; batch += 15) {
      await Promise.all(
        grants.map(async (g, j) => {
          const i = batch + j;
          const cents = 100 + ((i * 37) % 4_800);
          expectedTotal += cents;
          await w.capture(providers[i % PROVIDERS]!, cents, g.grantId);
        }),
      );
    }
  }, 120_000);

  it('ends with every capture in exactly one payout and a clean ledger', async () => {
    runId = (await w.startRun(town)).id;
    const progress: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const before = await payoutCount(runId);
      const worker = startWorker();
      await worker.ready;
      // Kill at a random point of the work itself (startup speed varies with the machine's load).
      await workStarted(runId, before);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
      worker.child.kill('SIGKILL');
      await worker.exited;
      progress.push(await payoutCount(runId));
    }
    // Some kills must have landed mid-run (not all before any work, not all after the end).
    expect(
      progress.some((n) => n > 0 && n < PROVIDERS),
      `payouts after each kill: ${progress}`,
    ).toBe(true);

    const last = startWorker();
    await last.ready;
    const run = await w.settled(runId, 30_000);
    last.child.kill('SIGTERM');
    await last.exited;

    expect(run.status).toBe('PENDING_APPROVAL');
    expect(run.payouts).toHaveLength(PROVIDERS);
    expect(run.totalCents).toBe(expectedTotal);
    const captures = await w.db.query<{ id: string; live: string }>(
      `SELECT c.id, count(i.payout_id) FILTER (WHERE i.released_at IS NULL) AS live
         FROM transfers c LEFT JOIN payout_items i ON i.transfer_id = c.id
        WHERE c.kind = 'CAPTURE' AND c.credit_account = ANY($1::text[]) GROUP BY c.id`,
      [run.payouts.map((p) => `provider:${p.provider.id}`)],
    );
    expect(captures).toHaveLength(CAPTURES);
    expect(captures.filter((c) => Number(c.live) !== 1)).toEqual([]);
    const mismatched = await w.db.query(
      `SELECT p.id FROM payouts p JOIN payout_items i ON i.payout_id = p.id AND i.released_at IS NULL
        WHERE p.run_id = $1 GROUP BY p.id HAVING sum(i.amount_cents) <> max(p.amount_cents) OR count(*) <> max(p.redemption_count)`,
      [runId],
    );
    expect(mismatched).toEqual([]);
    await w.expectLedgerClean();
    console.info(`settlement kill test: payouts after each of ${KILLS} kills: ${progress.join(' ')}`);
  }, 180_000);

  it('an approval cut off before commit leaves nothing behind', async () => {
    // Approval is one transaction: simulate the process dying just before COMMIT.
    const dying: Database = {
      ...w.db,
      transaction: (fn) =>
        w.db.transaction(async (tx) => {
          await fn(tx);
          throw new Error('killed before commit');
        }),
    };
    const debtor = { name: 'Mentoring', iban: IBANS[0]! };
    await expect(approveSettlementRun(dying, 'operator-2', runId, { debtor })).rejects.toThrow(
      'killed before commit',
    );
    const untouched = await w.run(runId);
    expect(untouched.status).toBe('PENDING_APPROVAL');
    expect(untouched.payouts.every((p) => p.status === 'PENDING_APPROVAL')).toBe(true);
    expect(await w.db.query("SELECT id FROM transfers WHERE kind = 'PAYOUT'")).toEqual([]);
    expect(await w.db.query("SELECT id FROM outbox WHERE type = 'payout.approved'")).toEqual([]);

    const [first, second] = await Promise.all([
      approveSettlementRun(w.db, 'operator-2', runId, { debtor }),
      approveSettlementRun(w.db, 'operator-3', runId, { debtor }),
    ]);
    expect([first.status, second.status]).toEqual(['APPROVED', 'APPROVED']);
    expect(await w.db.query("SELECT id FROM transfers WHERE kind = 'PAYOUT'")).toHaveLength(PROVIDERS);
    await w.expectLedgerClean();
  });
});
