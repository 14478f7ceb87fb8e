import type { SettlementRun } from './operations';
import { formatCents, formatTable } from './output';

/** The run's header line and its payouts, one row per provider. */
export function describeRun(run: SettlementRun): string {
  const header = `Run ${run.id}  ${run.status}  period end ${run.periodEnd}  total ${formatCents(run.totalCents)}  ${run.payouts.length} payout(s)`;
  if (run.payouts.length === 0) return header;
  const rows = run.payouts.map((payout) => [
    payout.id,
    payout.provider?.name ?? '(unknown provider)',
    String(payout.redemptionCount),
    formatCents(payout.amountCents),
    payout.status,
  ]);
  return `${header}\n\n${formatTable(['payout', 'provider', 'redemptions', 'amount', 'status'], rows, [2, 3])}`;
}
