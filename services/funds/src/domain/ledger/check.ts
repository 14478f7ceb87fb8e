import type { Sql } from '@mentoring/db';
import {
  accountTotals,
  balanceMismatches,
  negativeAccounts,
  refundProblems,
  resolutionProblems,
} from '../../db/ledger-check';

export interface InvariantResult {
  name: string;
  ok: boolean;
  /** What is wrong, one line per problem (empty when the invariant holds). */
  details: string[];
}

const MAX_DETAILS = 20;

function result(name: string, problems: string[]): InvariantResult {
  const details = problems.slice(0, MAX_DETAILS);
  if (problems.length > MAX_DETAILS) details.push(`… and ${problems.length - MAX_DETAILS} more`);
  return { name, ok: problems.length === 0, details };
}

/**
 * Verifies every ledger invariant against the stored rows. Read-only; run it
 * in a repeatable-read snapshot (see `checkLedgerSnapshot`) on a live system.
 */
export async function checkLedger(db: Sql): Promise<InvariantResult[]> {
  const totals = await accountTotals(db);
  const mismatches = await balanceMismatches(db);
  const resolutions = await resolutionProblems(db);
  const refunds = await refundProblems(db);
  const negatives = await negativeAccounts(db);
  const fmt = (v: number[]) => `posted ${v[0]}/${v[1]}, pending ${v[2]}/${v[3]}`;
  return [
    result(
      'the posted balances of all accounts sum to zero',
      totals.posted === 0 ? [] : [`the sum is ${totals.posted}`],
    ),
    result(
      'the pending balances of all accounts sum to zero',
      totals.pending === 0 ? [] : [`the sum is ${totals.pending}`],
    ),
    result(
      'every stored balance equals the sum of its transfers',
      mismatches.map(
        (m) =>
          `${m.account}: stored ${fmt(m.stored)} (debits/credits), transfers say ${fmt(m.fromTransfers)}`,
      ),
    ),
    result(
      'every pending transfer is posted or voided at most once, for at most its amount',
      resolutions.map((p) => `pending transfer ${p.pendingId}: ${p.problem}`),
    ),
    result(
      'every refund gives back one posted transfer, once',
      refunds.map((p) => `transfer ${p.pendingId}: ${p.problem}`),
    ),
    result(
      'no protected account is below zero',
      negatives.map((n) => `${n.account}: available ${n.availableCents}`),
    ),
  ];
}

/** `checkLedger` on one consistent snapshot of a database that may be in use. */
export async function checkLedgerSnapshot(db: {
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}): Promise<InvariantResult[]> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return checkLedger(tx);
  });
}

/** A report: one line per invariant, OK or FAILED with its details indented. */
export function formatCheck(results: InvariantResult[]): string {
  return results
    .flatMap((r) => [`${r.ok ? 'OK    ' : 'FAILED'} ${r.name}`, ...r.details.map((d) => `         ${d}`)])
    .join('\n');
}
