// The SQL behind the ledger invariant check (src/domain/ledger/check.ts).
// Each query returns the rows that break its invariant (none when it holds).
import type { Sql } from '@mentoring/db';

export async function accountTotals(db: Sql): Promise<{ posted: number; pending: number }> {
  const [row] = await db.query<{ posted: string | null; pending: string | null }>(
    `SELECT sum(credits_posted - debits_posted) AS posted, sum(credits_pending - debits_pending) AS pending
       FROM accounts`,
  );
  return { posted: Number(row?.posted ?? 0), pending: Number(row?.pending ?? 0) };
}

export interface BalanceMismatch {
  account: string;
  stored: [number, number, number, number];
  fromTransfers: [number, number, number, number];
}

/**
 * Stored balances vs. balances recomputed from the transfers: posted columns
 * sum POSTED transfers; pending columns sum PENDING transfers nobody resolved.
 */
export async function balanceMismatches(db: Sql): Promise<BalanceMismatch[]> {
  const rows = await db.query<Record<string, string>>(
    `WITH legs AS (
       SELECT t.debit_account AS account, t.credit_account AS other, t.amount_cents, t.status,
              t.status = 'PENDING' AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id) AS open,
              true AS is_debit
         FROM transfers t
       UNION ALL
       SELECT t.credit_account, t.debit_account, t.amount_cents, t.status,
              t.status = 'PENDING' AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id),
              false
         FROM transfers t
     ), sums AS (
       SELECT account,
              sum(amount_cents) FILTER (WHERE is_debit AND status = 'POSTED') AS dp,
              sum(amount_cents) FILTER (WHERE NOT is_debit AND status = 'POSTED') AS cp,
              sum(amount_cents) FILTER (WHERE is_debit AND open) AS dpe,
              sum(amount_cents) FILTER (WHERE NOT is_debit AND open) AS cpe
         FROM legs GROUP BY account
     )
     SELECT coalesce(a.id, s.account) AS account,
            coalesce(a.debits_posted, 0) AS a_dp, coalesce(a.credits_posted, 0) AS a_cp,
            coalesce(a.debits_pending, 0) AS a_dpe, coalesce(a.credits_pending, 0) AS a_cpe,
            coalesce(s.dp, 0) AS s_dp, coalesce(s.cp, 0) AS s_cp, coalesce(s.dpe, 0) AS s_dpe, coalesce(s.cpe, 0) AS s_cpe
       FROM accounts a FULL JOIN sums s ON s.account = a.id
      WHERE a.id IS NULL
         OR (a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending)
            IS DISTINCT FROM (coalesce(s.dp, 0), coalesce(s.cp, 0), coalesce(s.dpe, 0), coalesce(s.cpe, 0))
      ORDER BY 1`,
  );
  return rows.map((r) => ({
    account: r.account!,
    stored: [Number(r.a_dp), Number(r.a_cp), Number(r.a_dpe), Number(r.a_cpe)],
    fromTransfers: [Number(r.s_dp), Number(r.s_cp), Number(r.s_dpe), Number(r.s_cpe)],
  }));
}

export interface ResolutionProblem {
  pendingId: string;
  problem: string;
}

/**
 * Resolving transfers (those with a pending_id): at most one per pending
 * transfer, each referencing a PENDING transfer between the same accounts,
 * posting at most the pending amount or voiding exactly it.
 */
export async function resolutionProblems(db: Sql): Promise<ResolutionProblem[]> {
  return db.query<ResolutionProblem>(
    `SELECT r.pending_id::text AS "pendingId", 'resolved ' || count(*) || ' times' AS problem
       FROM transfers r WHERE r.pending_id IS NOT NULL GROUP BY r.pending_id HAVING count(*) > 1
     UNION ALL
     SELECT r.pending_id::text,
            CASE
              WHEN p.status <> 'PENDING' THEN 'resolves a ' || p.status || ' transfer'
              WHEN (r.debit_account, r.credit_account) <> (p.debit_account, p.credit_account)
                THEN 'resolves it between other accounts'
              WHEN r.status = 'POSTED' AND r.amount_cents > p.amount_cents
                THEN 'posted ' || r.amount_cents || ' of ' || p.amount_cents
              ELSE 'voided ' || r.amount_cents || ' of ' || p.amount_cents
            END
       FROM transfers r JOIN transfers p ON p.id = r.pending_id
      WHERE p.status <> 'PENDING'
         OR (r.debit_account, r.credit_account) <> (p.debit_account, p.credit_account)
         OR (r.status = 'POSTED' AND r.amount_cents > p.amount_cents)
         OR (r.status = 'VOIDED' AND r.amount_cents <> p.amount_cents)
     ORDER BY 1`,
  );
}

/** Refunds: each gives back a POSTED transfer, once, between the same accounts reversed, for at most its amount. */
export async function refundProblems(db: Sql): Promise<ResolutionProblem[]> {
  return db.query<ResolutionProblem>(
    `SELECT r.reverses_id::text AS "pendingId", 'reversed ' || count(*) || ' times' AS problem
       FROM transfers r WHERE r.reverses_id IS NOT NULL GROUP BY r.reverses_id HAVING count(*) > 1
     UNION ALL
     SELECT r.reverses_id::text, 'refund ' || r.id || ' does not mirror the transfer it reverses'
       FROM transfers r JOIN transfers c ON c.id = r.reverses_id
      WHERE c.status <> 'POSTED' OR r.status <> 'POSTED' OR r.amount_cents > c.amount_cents
         OR (r.debit_account, r.credit_account) <> (c.credit_account, c.debit_account)
     ORDER BY 1`,
  );
}

export interface NegativeAccount {
  account: string;
  availableCents: number;
}

/** Protected accounts below zero (counting pending debits), and any negative balance column. */
export async function negativeAccounts(db: Sql): Promise<NegativeAccount[]> {
  const rows = await db.query<{ account: string; available: string }>(
    `SELECT id AS account, credits_posted - debits_posted - debits_pending AS available FROM accounts
      WHERE (protected AND credits_posted - debits_posted - debits_pending < 0)
         OR least(debits_posted, credits_posted, debits_pending, credits_pending) < 0
      ORDER BY id`,
  );
  return rows.map((r) => ({ account: r.account, availableCents: Number(r.available) }));
}
