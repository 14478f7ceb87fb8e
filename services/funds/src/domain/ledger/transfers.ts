import { randomUUID } from 'node:crypto';
import type { Sql } from '@mentoring/db';
import { badInput, notFound, UserError } from '@mentoring/subgraph-kit';
import {
  applyToAccount,
  applyToAccounts,
  type BalanceDeltas,
  findBalance,
  findResolution,
  findTransferByKey,
  insertTransfer,
  type NewTransfer,
  openAccount,
  type Transfer,
} from '../../db/ledger';
import { type AccountRef, isProtected, type TransferKind } from './accounts';

export interface TransferRequest {
  /** Unique per transfer: the same key with the same input returns the first transfer. */
  idempotencyKey: string;
  debit: AccountRef;
  credit: AccountRef;
  amountCents: number;
  kind: TransferKind;
  /** A pending transfer (an authorization), posted or voided later. */
  pending?: boolean;
  /** For a refund: the posted transfer it gives back. */
  reversesId?: string;
  /** Part of the input: compared on replays. */
  metadata?: Record<string, unknown>;
}

export interface TransferResult {
  transfer: Transfer;
  /** True when the key was already used with the same input (nothing moved this time). */
  replayed: boolean;
}

const insufficientFunds = () =>
  new UserError('INSUFFICIENT_FUNDS', 'The account does not have enough money.');
const conflict = () =>
  new UserError('IDEMPOTENCY_CONFLICT', 'This idempotency key was already used with a different request.');

/** Keys sorted, so equal objects compare equal whatever their key order (jsonb reorders keys). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** The first transfer if `candidate` asks for the same thing, else IDEMPOTENCY_CONFLICT. */
export function sameOrConflict(existing: Transfer, candidate: Omit<NewTransfer, 'id'>): Transfer {
  const same =
    existing.debitAccount === candidate.debitAccount &&
    existing.creditAccount === candidate.creditAccount &&
    existing.amountCents === candidate.amountCents &&
    existing.kind === candidate.kind &&
    existing.status === candidate.status &&
    existing.pendingId === (candidate.pendingId ?? null) &&
    existing.reversesId === (candidate.reversesId ?? null) &&
    canonical(existing.metadata) === canonical(candidate.metadata);
  if (!same) throw conflict();
  return existing;
}

/** Maps the last line of defence (the CHECK constraint) to the public error. */
async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === '23514' && constraint === 'accounts_protected_not_negative') throw insufficientFunds();
    throw error;
  }
}

interface Movement {
  account: AccountRef;
  deltas: BalanceDeltas;
  /** For the debited account of a new debit: the amount it must have available. */
  guardCents: number | null;
}

/**
 * Applies balance changes to the accounts of one transfer in one conditional
 * UPDATE, rows taken in account id order (so two transfers between the same
 * accounts do not deadlock; the transaction is retried if they ever do).
 * External accounts (sponsor, provider, payouts) are opened on first use;
 * protected ones must exist. Returns the new available balance per account.
 */
async function move(tx: Sql, movements: Movement[]): Promise<Map<string, number>> {
  const ordered = [...movements].sort((a, b) => (a.account.id < b.account.id ? -1 : 1));
  const available = await guarded(() =>
    applyToAccounts(
      tx,
      ordered.map((m) => ({ id: m.account.id, deltas: m.deltas, guardCents: m.guardCents })),
    ),
  );
  // Usually both rows changed at once; otherwise find out why, account by account.
  // (an external account opened on first use, possibly by a concurrent transfer meanwhile).
  for (const { account, deltas, guardCents } of ordered) {
    if (available.has(account.id)) continue;
    if (!isProtected(account.kind)) await openAccount(tx, account.id, account.kind, false);
    const result = await guarded(() => applyToAccount(tx, account.id, deltas, guardCents));
    if (result === null) {
      if (!(await findBalance(tx, account.id))) throw notFound('Account');
      throw insufficientFunds();
    }
    available.set(account.id, result);
  }
  return available;
}

export interface MovedResult extends TransferResult {
  /** Available balance of each account after the transfer (only when something moved). */
  available: Map<string, number>;
}

/**
 * Creates a transfer, posted or pending, and updates both balances, in the
 * caller's transaction. The transfer row is inserted first: a concurrent call
 * with the same key waits for this one and then replays it. INSUFFICIENT_FUNDS
 * when a protected debit account cannot cover the amount (nothing is written).
 */
export async function transfer(tx: Sql, request: TransferRequest): Promise<MovedResult> {
  if (!Number.isSafeInteger(request.amountCents) || request.amountCents <= 0)
    throw badInput('The amount must be a positive number of cents.', 'amountCents');
  const candidate: Omit<NewTransfer, 'id'> = {
    idempotencyKey: request.idempotencyKey,
    debitAccount: request.debit.id,
    creditAccount: request.credit.id,
    amountCents: request.amountCents,
    kind: request.kind,
    status: request.pending ? 'PENDING' : 'POSTED',
    pendingId: null,
    reversesId: request.reversesId ?? null,
    metadata: request.metadata ?? {},
  };
  const inserted = await insertTransfer(tx, { id: randomUUID(), ...candidate });
  if (!inserted) {
    const existing = await findTransferByKey(tx, request.idempotencyKey);
    if (!existing) throw new UserError('ALREADY_FINAL', 'This transfer was already reversed.');
    return { transfer: sameOrConflict(existing, candidate), replayed: true, available: new Map() };
  }
  const amount = request.amountCents;
  const available = await move(tx, [
    {
      account: request.debit,
      deltas: request.pending ? { debitsPending: amount } : { debitsPosted: amount },
      guardCents: amount,
    },
    {
      account: request.credit,
      deltas: request.pending ? { creditsPending: amount } : { creditsPosted: amount },
      guardCents: null,
    },
  ]);
  return { transfer: inserted, replayed: false, available };
}

export interface ResolveRequest {
  idempotencyKey: string;
  pending: Transfer;
  /** POST moves `amountCents` (default: all of it) and releases the rest; VOID releases everything. */
  action: 'POST' | 'VOID';
  amountCents?: number | undefined;
  metadata?: Record<string, unknown>;
}

/**
 * Posts or voids a pending transfer, exactly once: the resolving transfer
 * references the pending one and a unique index allows only one. Retrying with
 * the same key and input returns the first result; resolving it the other way
 * (or for a different amount) is refused.
 */
export async function resolvePending(tx: Sql, request: ResolveRequest): Promise<MovedResult> {
  const { pending, action } = request;
  if (pending.status !== 'PENDING') throw badInput('Only a pending transfer can be posted or voided.');
  const amount = action === 'VOID' ? pending.amountCents : (request.amountCents ?? pending.amountCents);
  if (!Number.isSafeInteger(amount) || amount <= 0)
    throw badInput('The amount must be a positive number of cents.', 'amountCents');
  if (amount > pending.amountCents)
    throw badInput(`At most ${pending.amountCents} cents can be captured.`, 'amountCents');
  const candidate: Omit<NewTransfer, 'id'> = {
    idempotencyKey: request.idempotencyKey,
    debitAccount: pending.debitAccount,
    creditAccount: pending.creditAccount,
    amountCents: amount,
    kind: action === 'POST' ? 'CAPTURE' : 'VOID',
    status: action === 'POST' ? 'POSTED' : 'VOIDED',
    pendingId: pending.id,
    reversesId: null,
    metadata: request.metadata ?? {},
  };
  const inserted = await insertTransfer(tx, { id: randomUUID(), ...candidate });
  if (!inserted) {
    const existing = await findTransferByKey(tx, request.idempotencyKey);
    if (existing)
      return { transfer: sameOrConflict(existing, candidate), replayed: true, available: new Map() };
    const resolution = await findResolution(tx, pending.id);
    throw new UserError(
      'ALREADY_FINAL',
      resolution?.status === 'VOIDED'
        ? 'This payment was already voided.'
        : 'This payment was already captured.',
    );
  }
  const posted = action === 'POST' ? amount : 0;
  const [debit, credit] = [pending.debitAccount, pending.creditAccount].map((id) => ({
    id,
    kind: kindOf(id),
  })) as [AccountRef, AccountRef];
  const available = await move(tx, [
    {
      account: debit,
      deltas: { debitsPending: -pending.amountCents, debitsPosted: posted },
      guardCents: null,
    },
    {
      account: credit,
      deltas: { creditsPending: -pending.amountCents, creditsPosted: posted },
      guardCents: null,
    },
  ]);
  return { transfer: inserted, replayed: false, available };
}

const KINDS: Record<string, AccountRef['kind']> = {
  sponsor: 'SPONSOR',
  fund: 'FUND',
  program: 'PROGRAM',
  grant: 'GRANT',
  provider: 'PROVIDER',
  payouts: 'PAYOUTS',
};

/** The kind of an account from its id (`grant:…` → GRANT). */
export function kindOf(accountId: string): AccountRef['kind'] {
  const kind = KINDS[accountId.split(':', 1)[0]!];
  if (!kind) throw new Error(`unknown account ${accountId}`);
  return kind;
}
