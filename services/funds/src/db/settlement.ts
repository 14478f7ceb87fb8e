// Settlement runs, payouts and their items (SQL). Rules live in domain/settlement.
import type { Sql } from '@mentoring/db';
import type { PayoutStatus, ProviderTotal, RunStatus, SkippedProvider } from '../domain/settlement/rules';

export interface SettlementRun {
  id: string;
  communityId: string;
  periodEnd: string;
  idempotencyKey: string;
  status: RunStatus;
  cutoffAt: Date | null;
  skippedProviders: SkippedProvider[];
  failureReason: string | null;
  createdBy: string;
  approvedBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  approvedAt: Date | null;
}

const RUN_COLUMNS = `id, community_id AS "communityId", period_end::text AS "periodEnd",
  idempotency_key AS "idempotencyKey", status, cutoff_at AS "cutoffAt",
  skipped_providers AS "skippedProviders", failure_reason AS "failureReason", created_by AS "createdBy",
  approved_by AS "approvedBy", created_at AS "createdAt", started_at AS "startedAt",
  finished_at AS "finishedAt", approved_at AS "approvedAt"`;

export async function insertRun(
  tx: Sql,
  run: { id: string; communityId: string; periodEnd: string; idempotencyKey: string; createdBy: string },
): Promise<SettlementRun | null> {
  const rows = await tx.query<SettlementRun>(
    `INSERT INTO settlement_runs (id, community_id, period_end, idempotency_key, status, created_by)
     VALUES ($1, $2, $3, $4, 'QUEUED', $5) ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING ${RUN_COLUMNS}`,
    [run.id, run.communityId, run.periodEnd, run.idempotencyKey, run.createdBy],
  );
  return rows[0] ?? null;
}

export async function findRunByKey(db: Sql, key: string): Promise<SettlementRun | null> {
  const rows = await db.query<SettlementRun>(
    `SELECT ${RUN_COLUMNS} FROM settlement_runs WHERE idempotency_key = $1`,
    [key],
  );
  return rows[0] ?? null;
}

export async function findRuns(db: Sql, ids: readonly string[]): Promise<SettlementRun[]> {
  return db.query<SettlementRun>(`SELECT ${RUN_COLUMNS} FROM settlement_runs WHERE id = ANY($1::uuid[])`, [
    ids,
  ]);
}

export async function runsOfCommunity(db: Sql, communityId: string): Promise<SettlementRun[]> {
  return db.query<SettlementRun>(
    `SELECT ${RUN_COLUMNS} FROM settlement_runs WHERE community_id = $1 ORDER BY created_at DESC, id`,
    [communityId],
  );
}

/** Runs left QUEUED or RUNNING since before `before` (a worker died, or their job was lost). */
export async function unfinishedRuns(db: Sql, before: Date): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM settlement_runs WHERE status IN ('QUEUED', 'RUNNING') AND created_at <= $1
      ORDER BY created_at`,
    [before],
  );
  return rows.map((r) => r.id);
}

export async function lockRun(tx: Sql, id: string): Promise<SettlementRun | null> {
  const rows = await tx.query<SettlementRun>(
    `SELECT ${RUN_COLUMNS} FROM settlement_runs WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0] ?? null;
}

/** QUEUED or RUNNING → RUNNING; the cutoff is fixed the first time. Null if the run is past that. */
export async function startRun(db: Sql, id: string, cutoff: Date): Promise<SettlementRun | null> {
  const rows = await db.query<SettlementRun>(
    `UPDATE settlement_runs
        SET status = 'RUNNING', started_at = coalesce(started_at, clock_timestamp()),
            cutoff_at = coalesce(cutoff_at, $2)
      WHERE id = $1 AND status IN ('QUEUED', 'RUNNING')
      RETURNING ${RUN_COLUMNS}`,
    [id, cutoff],
  );
  return rows[0] ?? null;
}

export async function finishRun(tx: Sql, id: string, skipped: SkippedProvider[]): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE settlement_runs SET status = 'PENDING_APPROVAL', skipped_providers = $2, finished_at = clock_timestamp()
      WHERE id = $1 AND status = 'RUNNING' RETURNING id`,
    [id, JSON.stringify(skipped)],
  );
  return rows.length > 0;
}

/** QUEUED/RUNNING → FAILED; the payouts it made so far fail too and free their captures. */
export async function failRun(tx: Sql, id: string, reason: string): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE settlement_runs SET status = 'FAILED', failure_reason = $2, finished_at = clock_timestamp()
      WHERE id = $1 AND status IN ('QUEUED', 'RUNNING') RETURNING id`,
    [id, reason],
  );
  if (rows.length === 0) return false;
  await tx.query(
    `WITH failed AS (
       UPDATE payouts SET status = 'FAILED', failure_reason = 'The settlement run failed.', failed_at = clock_timestamp()
        WHERE run_id = $1 AND status = 'PENDING_APPROVAL' RETURNING id)
     UPDATE payout_items SET released_at = clock_timestamp()
      WHERE payout_id IN (SELECT id FROM failed) AND released_at IS NULL`,
    [id],
  );
  return true;
}

export async function approveRunRow(tx: Sql, id: string, approvedBy: string): Promise<void> {
  await tx.query(
    `UPDATE settlement_runs SET status = 'APPROVED', approved_by = $2, approved_at = clock_timestamp()
      WHERE id = $1 AND status = 'PENDING_APPROVAL'`,
    [id, approvedBy],
  );
}

// ------------------------------------------------------------------- grouping

const UNSETTLED_CAPTURES = `
  c.kind = 'CAPTURE' AND c.status = 'POSTED' AND c.credit_account LIKE 'provider:%' AND c.created_at <= $1
  AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.reverses_id = c.id)
  AND NOT EXISTS (SELECT 1 FROM payout_items i WHERE i.transfer_id = c.id AND i.released_at IS NULL)`;

/** Per provider: captures up to `cutoff`, not refunded and in no live payout. */
export async function unsettledTotals(db: Sql, cutoff: Date): Promise<ProviderTotal[]> {
  const rows = await db.query<{ account: string; amount: string; n: string }>(
    `SELECT c.credit_account AS account, sum(c.amount_cents) AS amount, count(*) AS n
       FROM transfers c WHERE ${UNSETTLED_CAPTURES} GROUP BY c.credit_account`,
    [cutoff],
  );
  return rows.map((r) => ({
    providerId: r.account.slice('provider:'.length),
    amountCents: Number(r.amount),
    count: Number(r.n),
  }));
}

/**
 * In the caller's transaction: creates the run's payout for the provider and
 * claims its unsettled captures. Null when the run already has that payout
 * (it was committed with its items: nothing to do). A capture another run
 * claimed meanwhile is skipped (unique live item); a capture being refunded
 * is locked first, so the refund either committed before (and is seen here)
 * or sees this payout and refuses.
 */
export async function claimProviderPayout(
  tx: Sql,
  input: { payoutId: string; runId: string; providerId: string; name: string; iban: string; cutoff: Date },
): Promise<{ amountCents: number; count: number } | null> {
  const created = await tx.query(
    `INSERT INTO payouts (id, run_id, provider_id, provider_name, iban, status, amount_cents, redemption_count)
     VALUES ($1, $2, $3, $4, $5, 'PENDING_APPROVAL', 0, 0) ON CONFLICT (run_id, provider_id) DO NOTHING
     RETURNING id`,
    [input.payoutId, input.runId, input.providerId, input.name, input.iban],
  );
  if (created.length === 0) return null;
  const locked = await tx.query<{ id: string }>(
    `SELECT c.id FROM transfers c WHERE ${UNSETTLED_CAPTURES} AND c.credit_account = $2
      ORDER BY c.id FOR SHARE OF c`,
    [input.cutoff, `provider:${input.providerId}`],
  );
  const [totals] = await tx.query<{ amount: string | null; n: string }>(
    `WITH claimed AS (
       INSERT INTO payout_items (payout_id, transfer_id, redemption_id, amount_cents)
       SELECT $1, c.id, c.metadata ->> 'redemptionId', c.amount_cents FROM transfers c
        WHERE c.id = ANY($2::uuid[]) AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.reverses_id = c.id)
        ORDER BY c.id
       ON CONFLICT (transfer_id) WHERE released_at IS NULL DO NOTHING
       RETURNING amount_cents)
     SELECT sum(amount_cents) AS amount, count(*) AS n FROM claimed`,
    [input.payoutId, locked.map((r) => r.id)],
  );
  const amountCents = Number(totals?.amount ?? 0);
  const count = Number(totals?.n ?? 0);
  if (count === 0) await tx.query('DELETE FROM payouts WHERE id = $1', [input.payoutId]);
  else
    await tx.query('UPDATE payouts SET amount_cents = $2, redemption_count = $3 WHERE id = $1', [
      input.payoutId,
      amountCents,
      count,
    ]);
  return { amountCents, count };
}

// -------------------------------------------------------------------- payouts

export interface Payout {
  id: string;
  runId: string;
  providerId: string;
  providerName: string;
  iban: string;
  status: PayoutStatus;
  amountCents: number;
  redemptionCount: number;
  transferId: string | null;
  returnTransferId: string | null;
  bankReference: string | null;
  failureReason: string | null;
  createdAt: Date;
  approvedAt: Date | null;
  paidAt: Date | null;
  failedAt: Date | null;
}

const PAYOUT_COLUMNS = `id, run_id AS "runId", provider_id AS "providerId", provider_name AS "providerName", iban,
  status, amount_cents::int8 AS "amountCents", redemption_count AS "redemptionCount", transfer_id AS "transferId",
  return_transfer_id AS "returnTransferId", bank_reference AS "bankReference", failure_reason AS "failureReason",
  created_at AS "createdAt", approved_at AS "approvedAt", paid_at AS "paidAt", failed_at AS "failedAt"`;

const toPayout = (row: Payout): Payout => ({ ...row, amountCents: Number(row.amountCents) });

export async function payoutsOfRuns(db: Sql, runIds: readonly string[]): Promise<Payout[]> {
  const rows = await db.query<Payout>(
    `SELECT ${PAYOUT_COLUMNS} FROM payouts WHERE run_id = ANY($1::uuid[]) ORDER BY provider_id`,
    [runIds],
  );
  return rows.map(toPayout);
}

export async function findPayouts(db: Sql, ids: readonly string[]): Promise<Payout[]> {
  const rows = await db.query<Payout>(`SELECT ${PAYOUT_COLUMNS} FROM payouts WHERE id = ANY($1::uuid[])`, [
    ids,
  ]);
  return rows.map(toPayout);
}

export async function lockPayout(tx: Sql, id: string): Promise<Payout | null> {
  const rows = await tx.query<Payout>(`SELECT ${PAYOUT_COLUMNS} FROM payouts WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] ? toPayout(rows[0]) : null;
}

/** The redemption ids paid by each payout (live items; a failed payout keeps its released ones). */
export async function redemptionsOfPayouts(
  db: Sql,
  payoutIds: readonly string[],
): Promise<Map<string, string[]>> {
  const rows = await db.query<{ payout_id: string; ids: (string | null)[] }>(
    `SELECT payout_id, array_agg(coalesce(redemption_id, transfer_id::text) ORDER BY redemption_id, transfer_id) AS ids
       FROM payout_items WHERE payout_id = ANY($1::uuid[]) GROUP BY payout_id`,
    [payoutIds],
  );
  return new Map(rows.map((r) => [r.payout_id, r.ids.filter((id): id is string => id !== null)]));
}

export async function markPayoutApproved(tx: Sql, id: string, transferId: string): Promise<void> {
  await tx.query(
    `UPDATE payouts SET status = 'APPROVED', transfer_id = $2, approved_at = clock_timestamp()
      WHERE id = $1 AND status = 'PENDING_APPROVAL'`,
    [id, transferId],
  );
}

export async function markPayoutPaidRow(tx: Sql, id: string, bankReference: string): Promise<void> {
  await tx.query(
    `UPDATE payouts SET status = 'PAID', bank_reference = $2, paid_at = clock_timestamp()
      WHERE id = $1 AND status = 'APPROVED'`,
    [id, bankReference],
  );
}

/** APPROVED → FAILED, its captures released for the next run. */
export async function markPayoutFailedRow(
  tx: Sql,
  id: string,
  reason: string,
  returnTransferId: string,
): Promise<void> {
  await tx.query(
    `UPDATE payouts SET status = 'FAILED', failure_reason = $2, return_transfer_id = $3, failed_at = clock_timestamp()
      WHERE id = $1 AND status = 'APPROVED'`,
    [id, reason, returnTransferId],
  );
  await tx.query(
    'UPDATE payout_items SET released_at = clock_timestamp() WHERE payout_id = $1 AND released_at IS NULL',
    [id],
  );
}

/** Whether a transfer (a capture) is in a live payout. */
export async function isInLivePayout(tx: Sql, transferId: string): Promise<boolean> {
  const rows = await tx.query('SELECT 1 FROM payout_items WHERE transfer_id = $1 AND released_at IS NULL', [
    transferId,
  ]);
  return rows.length > 0;
}

// ---------------------------------------------------------------------- files

export interface SettlementFiles {
  runId: string;
  messageId: string;
  sepaXml: string | null;
  csv: string;
}

export async function insertFiles(tx: Sql, files: SettlementFiles): Promise<void> {
  await tx.query(
    `INSERT INTO settlement_files (run_id, message_id, sepa_xml, csv) VALUES ($1, $2, $3, $4)
     ON CONFLICT (run_id) DO NOTHING`,
    [files.runId, files.messageId, files.sepaXml, files.csv],
  );
}

export async function filesOfRuns(db: Sql, runIds: readonly string[]): Promise<SettlementFiles[]> {
  return db.query<SettlementFiles>(
    `SELECT run_id AS "runId", message_id AS "messageId", sepa_xml AS "sepaXml", csv
       FROM settlement_files WHERE run_id = ANY($1::uuid[])`,
    [runIds],
  );
}

// ------------------------------------------------------------------- payments

export interface PaymentRow {
  redemptionId: string;
  grantId: string | null;
  providerId: string | null;
  holderUserId: string | null;
  resolution: 'POSTED' | 'VOIDED' | null;
  refunded: boolean;
  payoutId: string | null;
  payoutStatus: PayoutStatus | null;
}

/** The payment of each redemption: its authorization, how it was resolved, refunded, in which live payout. */
export async function paymentsOfRedemptions(
  db: Sql,
  redemptionIds: readonly string[],
): Promise<PaymentRow[]> {
  return db.query<PaymentRow>(
    `SELECT a.metadata ->> 'redemptionId' AS "redemptionId", a.metadata ->> 'grantId' AS "grantId",
            a.metadata ->> 'providerId' AS "providerId", g.holder_user_id AS "holderUserId",
            r.status AS resolution,
            EXISTS (SELECT 1 FROM transfers f WHERE f.reverses_id = r.id) AS refunded,
            p.id AS "payoutId", p.status AS "payoutStatus"
       FROM transfers a
       LEFT JOIN transfers r ON r.pending_id = a.id
       LEFT JOIN grants g ON g.id = CASE WHEN a.metadata ->> 'grantId' ~ '^[0-9a-fA-F-]{36}$'
                                       THEN (a.metadata ->> 'grantId')::uuid END
       LEFT JOIN payout_items i ON i.transfer_id = r.id AND i.released_at IS NULL
       LEFT JOIN payouts p ON p.id = i.payout_id
      WHERE a.idempotency_key = ANY($1::text[])`,
    [redemptionIds.map((id) => `authorize:${id}`)],
  );
}

/** Of `grantIds`, those from which one of the provider accounts got an authorization or capture. */
export async function grantsPaidToProviders(
  db: Sql,
  grantIds: readonly string[],
  providerIds: readonly string[],
): Promise<Set<string>> {
  const rows = await db.query<{ grant_id: string }>(
    `SELECT DISTINCT substr(debit_account, 7) AS grant_id FROM transfers
      WHERE debit_account = ANY($1::text[]) AND credit_account = ANY($2::text[]) AND kind IN ('PAYMENT', 'CAPTURE')`,
    [grantIds.map((id) => `grant:${id}`), providerIds.map((id) => `provider:${id}`)],
  );
  return new Set(rows.map((r) => r.grant_id));
}
