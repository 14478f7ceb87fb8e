// Settlement: a run groups captured payments into one payout per provider (a
// BullMQ job, exactly once), a second operator approves it (payouts posted,
// bank files written), then each payout is marked paid or failed.
import { randomUUID } from 'node:crypto';
import type { Database, Sql } from '@mentoring/db';
import { writeEvent } from '@mentoring/db';
import { emitEvent } from '@mentoring/events';
import { badInput, notFound, UserError } from '@mentoring/subgraph-kit';
import {
  approveRunRow,
  claimProviderPayout,
  failRun,
  findRunByKey,
  findRuns,
  finishRun,
  insertFiles,
  insertRun,
  lockPayout,
  lockRun,
  markPayoutApproved,
  markPayoutFailedRow,
  markPayoutPaidRow,
  type Payout,
  payoutsOfRuns,
  redemptionsOfPayouts,
  type SettlementRun,
  startRun,
  unsettledTotals,
} from '../../db/settlement';
import { account } from '../ledger/accounts';
import { transfer } from '../ledger/transfers';
import { calendarDate, foreignId, idempotencyKey, isUuid, today } from '../values';
import { payoutsCsv, type SepaDebtor, sepaCreditTransfer } from './files';
import {
  checkApproval,
  checkFailed,
  checkPaid,
  cutoffOf,
  type ProviderDirectory,
  planPayouts,
  type SkippedProvider,
} from './rules';

export const SETTLEMENT_QUEUE = 'settlement';
export const SETTLEMENT_JOB = 'settlement.run';
export const DEFAULT_HOLD_DAYS = 14;

export interface RunSettlementInput {
  communityId: string;
  periodEnd: string;
  idempotencyKey: string;
}

/**
 * Creates a QUEUED run and, in the same transaction, the outbox event that
 * becomes its job: the job can never be lost. Idempotent on the key.
 */
export async function runSettlement(
  db: Database,
  operatorId: string,
  input: RunSettlementInput,
  now = new Date(),
): Promise<SettlementRun> {
  const communityId = foreignId(input.communityId, 'communityId');
  const periodEnd = calendarDate(input.periodEnd, 'periodEnd');
  const key = idempotencyKey(input.idempotencyKey);
  const same = (run: SettlementRun) => {
    if (run.communityId !== communityId || run.periodEnd !== periodEnd)
      throw new UserError(
        'IDEMPOTENCY_CONFLICT',
        'This idempotency key was already used with a different request.',
      );
    return run;
  };
  const earlier = await findRunByKey(db, key);
  if (earlier) return same(earlier);
  if (periodEnd > today(now)) throw badInput('periodEnd cannot be in the future.', 'periodEnd');
  return db.transaction(async (tx) => {
    const run = await insertRun(tx, {
      id: randomUUID(),
      communityId,
      periodEnd,
      idempotencyKey: key,
      createdBy: operatorId,
    });
    if (!run) {
      const concurrent = await findRunByKey(tx, key);
      if (!concurrent) throw new Error('settlement run vanished');
      return same(concurrent);
    }
    await writeEvent(tx, { queue: SETTLEMENT_QUEUE, type: SETTLEMENT_JOB, payload: { runId: run.id } });
    return run;
  });
}

export interface ProcessOptions {
  directory: ProviderDirectory;
  holdDays: number;
  now?: Date;
  /** Pause between providers (throttling; the kill test uses it to stretch a run). */
  throttleMs?: number;
}

export interface ProcessResult {
  status: SettlementRun['status'] | 'NOT_FOUND';
  payouts: number;
  skipped: SkippedProvider[];
}

/**
 * Groups the run's captures into payouts: one transaction per provider, so a
 * killed worker leaves whole payouts or nothing; the next attempt skips the
 * providers already done and finishes. Safe to run twice at once.
 */
export async function processRun(
  db: Database,
  runId: string,
  options: ProcessOptions,
): Promise<ProcessResult> {
  const [found] = isUuid(runId) ? await findRuns(db, [runId]) : [];
  if (!found) return { status: 'NOT_FOUND', payouts: 0, skipped: [] };
  const run = await startRun(
    db,
    runId,
    cutoffOf(found.periodEnd, options.holdDays, options.now ?? new Date()),
  );
  if (!run?.cutoffAt) return { status: found.status, payouts: 0, skipped: [] };
  const cutoff = run.cutoffAt;
  const totals = await unsettledTotals(db, cutoff);
  const organizations = await options.directory(totals.map((t) => t.providerId));
  const plan = planPayouts(run.communityId, totals, organizations);
  let payouts = 0;
  for (const provider of plan.pay) {
    const claimed = await db.transaction((tx) =>
      claimProviderPayout(tx, { payoutId: randomUUID(), runId, cutoff, ...provider }),
    );
    if (claimed && claimed.count > 0) payouts++;
    if (options.throttleMs) await new Promise((resolve) => setTimeout(resolve, options.throttleMs));
  }
  const finished = await db.transaction((tx) => finishRun(tx, runId, plan.skipped));
  return { status: finished ? 'PENDING_APPROVAL' : run.status, payouts, skipped: plan.skipped };
}

/** After the last attempt failed: FAILED with the reason; payouts made so far are released. */
export async function failSettlementRun(db: Database, runId: string, reason: string): Promise<boolean> {
  if (!isUuid(runId)) return false;
  return db.transaction((tx) => failRun(tx, runId, reason.slice(0, 500)));
}

export interface ApprovalOptions {
  debtor: SepaDebtor;
  now?: Date;
}

/**
 * Four eyes: another operator approves a PENDING_APPROVAL run. One
 * transaction under the run's row lock: each payout posted (provider →
 * payouts, key `payout:<id>`), payouts and run APPROVED, `payout.approved`
 * events, SEPA and CSV files stored. Approving again returns the run.
 */
export async function approveSettlementRun(
  db: Database,
  approverId: string,
  runId: string,
  options: ApprovalOptions,
): Promise<SettlementRun> {
  if (!isUuid(runId)) throw notFound('Settlement run');
  return db.transaction(async (tx) => {
    const run = await lockRun(tx, runId);
    if (!run) throw notFound('Settlement run');
    if (!checkApproval(run, approverId)) return run;
    const payouts = (await payoutsOfRuns(tx, [runId])).filter((p) => p.status === 'PENDING_APPROVAL');
    const redemptions = await redemptionsOfPayouts(
      tx,
      payouts.map((p) => p.id),
    );
    for (const payout of payouts) {
      const posted = await transfer(tx, {
        idempotencyKey: `payout:${payout.id}`,
        debit: account.provider(payout.providerId),
        credit: account.payouts(),
        amountCents: payout.amountCents,
        kind: 'PAYOUT',
        metadata: { payoutId: payout.id, runId, providerId: payout.providerId },
      });
      await markPayoutApproved(tx, payout.id, posted.transfer.id);
      await emitEvent(tx, 'payout.approved', {
        payoutId: payout.id,
        providerId: payout.providerId,
        amountCents: payout.amountCents,
        redemptionCount: payout.redemptionCount,
        periodEnd: run.periodEnd,
      });
    }
    await insertFiles(tx, settlementFiles(run, payouts, redemptions, options));
    await approveRunRow(tx, runId, approverId);
    return (await lockRun(tx, runId))!;
  });
}

/** The bank file (none without payouts) and the accounting CSV of a run being approved. */
export function settlementFiles(
  run: Pick<SettlementRun, 'id'>,
  payouts: Payout[],
  redemptions: Map<string, string[]>,
  options: ApprovalOptions,
) {
  const now = options.now ?? new Date();
  const messageId = `MNT-${run.id.replace(/-/g, '').slice(0, 28)}`;
  const rows = payouts.map((p) => ({
    payoutId: p.id,
    providerId: p.providerId,
    providerName: p.providerName,
    iban: p.iban,
    amountCents: p.amountCents,
    redemptionIds: redemptions.get(p.id) ?? [],
  }));
  const sepaXml =
    rows.length === 0
      ? null
      : sepaCreditTransfer({
          messageId,
          createdAt: now,
          executionDate: nextBusinessDay(now),
          debtor: options.debtor,
          payments: rows.map((r) => ({ ...r, creditorName: r.providerName })),
        });
  return { runId: run.id, messageId, sepaXml, csv: payoutsCsv(rows) };
}

/** The next weekday (TARGET2 holidays are left to the bank, which moves the date if needed). */
export function nextBusinessDay(now: Date): string {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

async function lockedPayout(tx: Sql, id: string): Promise<Payout> {
  const payout = isUuid(id) ? await lockPayout(tx, id) : null;
  if (!payout) throw notFound('Payout');
  return payout;
}

/** The bank confirmed the transfer: APPROVED → PAID with its reference (`payout.paid`). */
export async function markPayoutPaid(db: Database, id: string, bankReference: string): Promise<Payout> {
  const reference = bankReference.trim();
  if (reference.length === 0 || reference.length > 140)
    throw badInput('bankReference must be 1–140 characters.', 'bankReference');
  return db.transaction(async (tx) => {
    const payout = await lockedPayout(tx, id);
    if (!checkPaid(payout, reference)) return payout;
    await markPayoutPaidRow(tx, payout.id, reference);
    await emitEvent(tx, 'payout.paid', {
      payoutId: payout.id,
      providerId: payout.providerId,
      amountCents: payout.amountCents,
      bankReference: reference,
    });
    return lockedPayout(tx, payout.id);
  });
}

/**
 * The bank transfer failed: APPROVED → FAILED. The money goes back to the
 * provider's payable account (payouts → provider, reversing the payout
 * transfer) and its captures are released: the next run pays them.
 */
export async function markPayoutFailed(db: Database, id: string, reason: string): Promise<Payout> {
  const why = reason.trim();
  if (why.length === 0 || why.length > 500) throw badInput('reason must be 1–500 characters.', 'reason');
  return db.transaction(async (tx) => {
    const payout = await lockedPayout(tx, id);
    if (!checkFailed(payout)) return payout;
    const returned = await transfer(tx, {
      idempotencyKey: `payout-return:${payout.id}`,
      debit: account.payouts(),
      credit: account.provider(payout.providerId),
      amountCents: payout.amountCents,
      kind: 'PAYOUT_RETURN',
      reversesId: payout.transferId!,
      metadata: { payoutId: payout.id, runId: payout.runId, providerId: payout.providerId },
    });
    await markPayoutFailedRow(tx, payout.id, why, returned.transfer.id);
    return lockedPayout(tx, payout.id);
  });
}
