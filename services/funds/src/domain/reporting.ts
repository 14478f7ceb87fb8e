// The impact report: what a fund received and what its grants achieved. Aggregates only.
import type { Database } from '@mentoring/db';
import { contributedCents, grantCounts, spending } from '../db/reports';

export interface ImpactReport {
  contributedCents: number;
  beneficiariesReached: number;
  grantsIssued: number;
  spentCents: number;
  byCategory: { category: string; spentCents: number; redemptions: number }[];
  byProvider: { providerId: string; spentCents: number; redemptions: number }[];
}

function totals<K extends string>(rows: { key: K; spentCents: number; redemptions: number }[]) {
  const map = new Map<K, { spentCents: number; redemptions: number }>();
  for (const row of rows) {
    const sum = map.get(row.key) ?? { spentCents: 0, redemptions: 0 };
    sum.spentCents += row.spentCents;
    sum.redemptions += row.redemptions;
    map.set(row.key, sum);
  }
  return [...map.entries()]
    .filter(([, sum]) => sum.spentCents > 0)
    .sort(([a, x], [b, y]) => y.spentCents - x.spentCents || (a < b ? -1 : 1));
}

export async function impactReport(db: Database, fundId: string): Promise<ImpactReport> {
  const [contributed, counts, rows] = await Promise.all([
    contributedCents(db, fundId),
    grantCounts(db, fundId),
    spending(db, fundId),
  ]);
  return {
    contributedCents: contributed,
    beneficiariesReached: counts.beneficiaries,
    grantsIssued: counts.grants,
    spentCents: rows.reduce((sum, r) => sum + r.spentCents, 0),
    byCategory: totals(rows.map((r) => ({ ...r, key: r.category }))).map(([category, sum]) => ({
      category,
      ...sum,
    })),
    byProvider: totals(rows.map((r) => ({ ...r, key: r.providerId }))).map(([providerId, sum]) => ({
      providerId,
      ...sum,
    })),
  };
}
