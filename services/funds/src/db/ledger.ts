import type { Sql } from '@mentoring/db';
import type { AccountKind } from '../domain/ledger/accounts';

export type TransferStatus = 'PENDING' | 'POSTED' | 'VOIDED';

export interface Transfer {
  id: string;
  idempotencyKey: string;
  debitAccount: string;
  creditAccount: string;
  amountCents: number;
  kind: string;
  status: TransferStatus;
  pendingId: string | null;
  reversesId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export interface Balance {
  id: string;
  kind: AccountKind;
  protected: boolean;
  debitsPosted: number;
  creditsPosted: number;
  debitsPending: number;
  creditsPending: number;
  /** credits posted − debits posted − debits pending: what can still be spent. */
  availableCents: number;
}

/** Changes to an account's four balance columns (positive or negative). */
export interface BalanceDeltas {
  debitsPosted?: number;
  creditsPosted?: number;
  debitsPending?: number;
  creditsPending?: number;
}

interface TransferRow {
  id: string;
  idempotency_key: string;
  debit_account: string;
  credit_account: string;
  amount_cents: string;
  kind: string;
  status: TransferStatus;
  pending_id: string | null;
  reverses_id: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
}

const TRANSFER_COLUMNS =
  'id, idempotency_key, debit_account, credit_account, amount_cents, kind, status, pending_id, reverses_id, metadata, created_at';

const toTransfer = (row: TransferRow): Transfer => ({
  id: row.id,
  idempotencyKey: row.idempotency_key,
  debitAccount: row.debit_account,
  creditAccount: row.credit_account,
  amountCents: Number(row.amount_cents),
  kind: row.kind,
  status: row.status,
  pendingId: row.pending_id,
  reversesId: row.reverses_id,
  metadata: row.metadata,
  createdAt: row.created_at,
});

interface BalanceRow {
  id: string;
  kind: AccountKind;
  protected: boolean;
  debits_posted: string;
  credits_posted: string;
  debits_pending: string;
  credits_pending: string;
}

const toBalance = (row: BalanceRow): Balance => {
  const balance = {
    id: row.id,
    kind: row.kind,
    protected: row.protected,
    debitsPosted: Number(row.debits_posted),
    creditsPosted: Number(row.credits_posted),
    debitsPending: Number(row.debits_pending),
    creditsPending: Number(row.credits_pending),
  };
  return { ...balance, availableCents: balance.creditsPosted - balance.debitsPosted - balance.debitsPending };
};

/** Opens an account if it does not exist yet. */
export async function openAccount(
  tx: Sql,
  id: string,
  kind: AccountKind,
  isProtected: boolean,
): Promise<void> {
  await tx.query(
    'INSERT INTO accounts (id, kind, protected) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
    [id, kind, isProtected],
  );
}

export async function findBalances(db: Sql, ids: readonly string[]): Promise<Balance[]> {
  const rows = await db.query<BalanceRow>(
    `SELECT id, kind, protected, debits_posted, credits_posted, debits_pending, credits_pending
       FROM accounts WHERE id = ANY($1::text[])`,
    [ids],
  );
  return rows.map(toBalance);
}

export async function findBalance(db: Sql, id: string): Promise<Balance | null> {
  return (await findBalances(db, [id]))[0] ?? null;
}

/**
 * Adds `deltas` to an account in one conditional UPDATE. With `guardCents`,
 * a protected account is only changed if its available balance covers that
 * amount (evaluated on the locked, current row). Returns the new available
 * balance, or null when the account is missing or the guard refused.
 * The CHECK constraint `accounts_protected_not_negative` backs this up.
 */
export async function applyToAccount(
  tx: Sql,
  id: string,
  deltas: BalanceDeltas,
  guardCents: number | null,
): Promise<number | null> {
  const rows = await tx.query<{ available: string }>(
    `UPDATE accounts
        SET debits_posted = debits_posted + $2,
            credits_posted = credits_posted + $3,
            debits_pending = debits_pending + $4,
            credits_pending = credits_pending + $5
      WHERE id = $1
        AND ($6::bigint IS NULL OR NOT protected OR credits_posted - debits_posted - debits_pending >= $6::bigint)
      RETURNING credits_posted - debits_posted - debits_pending AS available`,
    [
      id,
      deltas.debitsPosted ?? 0,
      deltas.creditsPosted ?? 0,
      deltas.debitsPending ?? 0,
      deltas.creditsPending ?? 0,
      guardCents,
    ],
  );
  return rows[0] ? Number(rows[0].available) : null;
}

export interface AccountChange {
  id: string;
  deltas: BalanceDeltas;
  guardCents: number | null;
}

/**
 * `applyToAccount` for several accounts in one statement (one round trip):
 * rows are locked in the order given (pass them sorted by id). Returns the new
 * available balance of each account changed; an account that is missing or
 * whose guard refused is absent from the result.
 */
export async function applyToAccounts(
  tx: Sql,
  changes: readonly AccountChange[],
): Promise<Map<string, number>> {
  const params: unknown[] = [];
  const values = changes.map((c, i) => {
    params.push(
      c.id,
      c.deltas.debitsPosted ?? 0,
      c.deltas.creditsPosted ?? 0,
      c.deltas.debitsPending ?? 0,
      c.deltas.creditsPending ?? 0,
      c.guardCents,
    );
    const n = i * 6;
    return `($${n + 1}::text, $${n + 2}::bigint, $${n + 3}::bigint, $${n + 4}::bigint, $${n + 5}::bigint, $${n + 6}::bigint)`;
  });
  const rows = await tx.query<{ id: string; available: string }>(
    `UPDATE accounts a
        SET debits_posted = a.debits_posted + v.dp,
            credits_posted = a.credits_posted + v.cp,
            debits_pending = a.debits_pending + v.dpe,
            credits_pending = a.credits_pending + v.cpe
       FROM (VALUES ${values.join(', ')}) AS v (id, dp, cp, dpe, cpe, guard)
      WHERE a.id = v.id
        AND (v.guard IS NULL OR NOT a.protected OR a.credits_posted - a.debits_posted - a.debits_pending >= v.guard)
      RETURNING a.id, a.credits_posted - a.debits_posted - a.debits_pending AS available`,
    params,
  );
  return new Map(rows.map((r) => [r.id, Number(r.available)]));
}

export interface NewTransfer {
  id: string;
  idempotencyKey: string;
  debitAccount: string;
  creditAccount: string;
  amountCents: number;
  kind: string;
  status: TransferStatus;
  pendingId?: string | null;
  reversesId?: string | null;
  metadata: Record<string, unknown>;
}

/**
 * Inserts a transfer unless its idempotency key is taken, or (for a
 * resolving transfer) its pending transfer is already resolved, or (for a
 * refund) its transfer already reversed. Returns null in those cases. A
 * concurrent insert of the same key waits for the other transaction to end.
 */
export async function insertTransfer(tx: Sql, t: NewTransfer): Promise<Transfer | null> {
  const rows = await tx.query<TransferRow>(
    `INSERT INTO transfers (id, idempotency_key, debit_account, credit_account, amount_cents, kind, status,
                            pending_id, reverses_id, metadata)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT DO NOTHING
     RETURNING ${TRANSFER_COLUMNS}`,
    [
      t.id,
      t.idempotencyKey,
      t.debitAccount,
      t.creditAccount,
      t.amountCents,
      t.kind,
      t.status,
      t.pendingId ?? null,
      t.reversesId ?? null,
      JSON.stringify(t.metadata),
    ],
  );
  return rows[0] ? toTransfer(rows[0]) : null;
}

export async function findTransferByKey(db: Sql, idempotencyKey: string): Promise<Transfer | null> {
  const rows = await db.query<TransferRow>(
    `SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE idempotency_key = $1`,
    [idempotencyKey],
  );
  return rows[0] ? toTransfer(rows[0]) : null;
}

/** The transfer that posted or voided a pending one, if any. */
export async function findResolution(db: Sql, pendingId: string): Promise<Transfer | null> {
  const rows = await db.query<TransferRow>(
    `SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE pending_id = $1`,
    [pendingId],
  );
  return rows[0] ? toTransfer(rows[0]) : null;
}

/** The refund of a posted transfer, if any. */
export async function findReversal(db: Sql, transferId: string): Promise<Transfer | null> {
  const rows = await db.query<TransferRow>(
    `SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE reverses_id = $1`,
    [transferId],
  );
  return rows[0] ? toTransfer(rows[0]) : null;
}

export async function findTransfersByKeys(db: Sql, keys: readonly string[]): Promise<Transfer[]> {
  const rows = await db.query<TransferRow>(
    `SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE idempotency_key = ANY($1::text[])`,
    [keys],
  );
  return rows.map(toTransfer);
}
