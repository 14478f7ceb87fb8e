import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { fundsApi } from '@mentoring/internal-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/domain/ledger/check';
import { type FundsHarness, outcome, startFunds } from './support';

let h: FundsHarness;

beforeAll(async () => {
  h = await startFunds('funds_ledger');
});

const purchase = (grantId: string, amountCents: number, redemptionId: string = randomUUID()) => ({
  redemptionId,
  grantId,
  providerId: `provider-${Math.floor(Math.random() * 3)}`,
  offeringId: 'offering-1',
  category: 'music',
  amountCents,
});

const balanceOf = async (grantId: string) => (await h.internal(fundsApi.getGrant, { grantId })).balanceCents;

const ledgerCheckScript = fileURLToPath(new URL('../src/scripts/ledger-check.ts', import.meta.url));
const runLedgerCheck = () =>
  spawnSync(process.execPath, ['--import', 'tsx', ledgerCheckScript, h.databaseUrl], { encoding: 'utf8' });

describe('under concurrency', () => {
  it('lets exactly 10 of 200 simultaneous 10-cent authorizations through on a 100-cent grant', async () => {
    const { programId } = await h.program({ grantCents: 100, budgetCents: 100 });
    const { grantId } = await h.activeGrant(programId);
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, () =>
        outcome(h.internal(fundsApi.authorizePayment, purchase(grantId, 10))),
      ),
    );
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'INSUFFICIENT_FUNDS')).toHaveLength(190);
    expect(await balanceOf(grantId)).toBe(0);
    await h.expectLedgerClean();
  });

  it('creates one transfer when 50 clients authorize the same redemption at once', async () => {
    const { programId } = await h.program({ grantCents: 1_000, budgetCents: 1_000 });
    const { grantId } = await h.activeGrant(programId);
    const request = purchase(grantId, 300);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => h.internal(fundsApi.authorizePayment, request)),
    );
    expect(new Set(results.map((r) => r.transferId)).size).toBe(1);
    const rows = await h.db.query('SELECT id FROM transfers WHERE idempotency_key = $1', [
      `authorize:${request.redemptionId}`,
    ]);
    expect(rows).toHaveLength(1);
    expect(await balanceOf(grantId)).toBe(700);
    await h.expectLedgerClean();
  });

  it('stays consistent through a storm of authorizations, partial captures, voids, refunds and retries', async () => {
    const { programId } = await h.program({ grantCents: 5_000, budgetCents: 50_000 });
    const grants = await Promise.all(Array.from({ length: 10 }, () => h.activeGrant(programId)));
    const spent = new Map<string, number>(grants.map((g) => [g.grantId, 0]));

    const redemption = async (i: number) => {
      const grantId = grants[i % grants.length]!.grantId;
      const amount = 100 + ((i * 37) % 900);
      const request = purchase(grantId, amount);
      const authorize = () => h.internal(fundsApi.authorizePayment, request);
      // Sent twice at once: a retry may succeed where the first attempt found the grant short.
      const attempts = await Promise.all([outcome(authorize()), outcome(authorize())]);
      if (!attempts.includes('OK'))
        return expect(attempts).toEqual(['INSUFFICIENT_FUNDS', 'INSUFFICIENT_FUNDS']);
      const { redemptionId } = request;
      const captured = amount - (i % 3) * 50;
      switch (i % 4) {
        case 0: // captured for less, retried
          await Promise.all([
            h.internal(fundsApi.capturePayment, { redemptionId, amountCents: captured }),
            h.internal(fundsApi.capturePayment, { redemptionId, amountCents: captured }),
          ]);
          spent.set(grantId, spent.get(grantId)! + captured);
          break;
        case 1: // cancelled while someone tries to validate it: exactly one wins
          {
            const [voided, capturedAll] = await Promise.all([
              outcome(h.internal(fundsApi.voidPayment, { redemptionId })),
              outcome(h.internal(fundsApi.capturePayment, { redemptionId })),
            ]);
            expect([voided, capturedAll].sort()).toEqual(['ALREADY_FINAL', 'OK']);
            if (capturedAll === 'OK') spent.set(grantId, spent.get(grantId)! + amount);
          }
          break;
        case 2: // captured, then refunded twice at once
          await h.internal(fundsApi.capturePayment, { redemptionId, amountCents: captured });
          await Promise.all([
            h.internal(fundsApi.refundPayment, { redemptionId }),
            h.internal(fundsApi.refundPayment, { redemptionId }),
          ]);
          break;
        default: // left authorized
          spent.set(grantId, spent.get(grantId)! + amount);
      }
    };
    // 40 clients at a time, each running redemptions back to back.
    let next = 0;
    const client = async () => {
      while (next < 200) await redemption(next++);
    };
    await Promise.all(Array.from({ length: 40 }, client));

    for (const [grantId, cents] of spent) expect(await balanceOf(grantId)).toBe(5_000 - cents);
    await h.expectLedgerClean();
  });
});

describe('the invariant check', () => {
  it('reports every invariant OK on a consistent ledger, from the command line too', async () => {
    const results = await checkLedger(h.db);
    expect(results.length).toBeGreaterThanOrEqual(6);
    expect(results.every((r) => r.ok)).toBe(true);
    const run = runLedgerCheck();
    expect(run.stdout).toContain('ledger OK');
    expect(run.status).toBe(0);
  });

  it('is backed by the database: a protected account cannot be overdrawn even by a direct update', async () => {
    const { programId } = await h.program({ grantCents: 100, budgetCents: 100 });
    const { grantId } = await h.activeGrant(programId);
    await expect(
      h.db.query('UPDATE accounts SET debits_pending = debits_pending + 101 WHERE id = $1', [
        `grant:${grantId}`,
      ]),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('detects a balance someone changed behind the ledger’s back', async () => {
    const { programId } = await h.program({ grantCents: 100, budgetCents: 100 });
    const { grantId } = await h.activeGrant(programId);
    await h.db.query('UPDATE accounts SET credits_posted = credits_posted + 1 WHERE id = $1', [
      `grant:${grantId}`,
    ]);

    const failed = (await checkLedger(h.db)).filter((r) => !r.ok);
    expect(failed.map((r) => r.name)).toEqual([
      'the posted balances of all accounts sum to zero',
      'every stored balance equals the sum of its transfers',
    ]);
    expect(failed[1]?.details.join('\n')).toContain(`grant:${grantId}`);

    const run = runLedgerCheck();
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/FAILED every stored balance equals the sum of its transfers/);
  });
});
