// Aggregates for the impact report. Only sums and counts leave this file.
import type { Sql } from '@mentoring/db';

export async function contributedCents(db: Sql, fundId: string): Promise<number> {
  const [row] = await db.query<{ total: string | null }>(
    `SELECT sum(amount_cents) AS total FROM contributions WHERE fund_id = $1 AND status = 'RECEIVED'`,
    [fundId],
  );
  return Number(row?.total ?? 0);
}

/** Grants of the fund (revoked ones left out) and the distinct beneficiaries holding them. */
export async function grantCounts(
  db: Sql,
  fundId: string,
): Promise<{ grants: number; beneficiaries: number }> {
  const [row] = await db.query<{ grants: string; beneficiaries: string }>(
    `SELECT count(*) AS grants, count(DISTINCT g.beneficiary_id) AS beneficiaries
       FROM grants g JOIN programs p ON p.id = g.program_id
      WHERE p.fund_id = $1 AND g.status <> 'REVOKED'`,
    [fundId],
  );
  return { grants: Number(row?.grants ?? 0), beneficiaries: Number(row?.beneficiaries ?? 0) };
}

export interface SpendingRow {
  category: string;
  providerId: string;
  spentCents: number;
  /** Captured payments not refunded. */
  redemptions: number;
}

/**
 * Money spent from the fund's grants: captured payments (posted grant →
 * provider) minus their refunds, by the category and provider the
 * authorization named.
 */
export async function spending(db: Sql, fundId: string): Promise<SpendingRow[]> {
  const rows = await db.query<{ category: string; provider_id: string; spent: string; redemptions: string }>(
    `WITH fund_grants AS (
       SELECT 'grant:' || g.id AS account FROM grants g JOIN programs p ON p.id = g.program_id WHERE p.fund_id = $1
     ), captures AS (
       SELECT c.amount_cents - coalesce(r.amount_cents, 0) AS spent,
              coalesce(pay.metadata->>'category', 'other') AS category,
              coalesce(pay.metadata->>'providerId', substr(c.credit_account, length('provider:') + 1)) AS provider_id
         FROM transfers c
         JOIN fund_grants fg ON fg.account = c.debit_account
         JOIN transfers pay ON pay.id = c.pending_id
         LEFT JOIN transfers r ON r.reverses_id = c.id
        WHERE c.kind = 'CAPTURE' AND c.status = 'POSTED'
     )
     SELECT category, provider_id, sum(spent) AS spent, count(*) FILTER (WHERE spent > 0) AS redemptions
       FROM captures GROUP BY category, provider_id`,
    [fundId],
  );
  return rows.map((r) => ({
    category: r.category,
    providerId: r.provider_id,
    spentCents: Number(r.spent),
    redemptions: Number(r.redemptions),
  }));
}
