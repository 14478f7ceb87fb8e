// Grants: money moved from a program to one beneficiary, spent by its holder.
import { randomUUID } from 'node:crypto';
import type { Database, Sql } from '@mentoring/db';
import { notFound } from '@mentoring/subgraph-kit';
import { findPrograms } from '../db/funds';
import { findGrants, type Grant, type GrantStatus, insertGrant } from '../db/grants';
import { openAccount } from '../db/ledger';
import { account } from './ledger/accounts';
import { transfer } from './ledger/transfers';
import { isUuid } from './values';

export interface OpenGrantInput {
  programId: string;
  beneficiaryId: string;
  issuedBy: string;
  referrerOrganizationId?: string | null;
  /** ISSUED (waiting for its code to be claimed) unless a holder is given (then ACTIVE by default). */
  status?: Extract<GrantStatus, 'ISSUED' | 'ACTIVE'>;
  holderUserId?: string | null;
  claimCodeHash?: string | null;
  idempotencyKey?: string | null;
  /** Default: the end (UTC) of the program's spend deadline. */
  expiresAt?: Date;
}

/**
 * Opens a grant of the program's `grantAmountCents`, moved from the program's
 * budget to the grant's account (INSUFFICIENT_FUNDS when the budget is spent),
 * inside the caller's transaction. Eligibility (age, referrer, one grant per
 * beneficiary and program, claim codes) is the caller's job.
 */
export async function openGrantIn(tx: Sql, input: OpenGrantInput): Promise<string> {
  const program = isUuid(input.programId) ? (await findPrograms(tx, [input.programId]))[0] : undefined;
  if (!program) throw notFound('Program');
  const id = randomUUID();
  const holderUserId = input.holderUserId ?? null;
  await insertGrant(tx, {
    id,
    programId: program.id,
    beneficiaryId: input.beneficiaryId,
    holderUserId,
    status: input.status ?? (holderUserId ? 'ACTIVE' : 'ISSUED'),
    amountCents: program.grantAmountCents,
    claimCodeHash: input.claimCodeHash ?? null,
    idempotencyKey: input.idempotencyKey ?? null,
    issuedBy: input.issuedBy,
    referrerOrganizationId: input.referrerOrganizationId ?? null,
    expiresAt: input.expiresAt ?? new Date(`${program.spendDeadline}T23:59:59.999Z`),
  });
  const grantAccount = account.grant(id);
  await openAccount(tx, grantAccount.id, grantAccount.kind, true);
  await transfer(tx, {
    idempotencyKey: `grant-issue:${id}`,
    debit: account.program(program.id),
    credit: grantAccount,
    amountCents: program.grantAmountCents,
    kind: 'GRANT_ISSUE',
    metadata: { grantId: id },
  });
  return id;
}

/** `openGrantIn` in its own transaction; returns the grant. */
export async function openGrant(db: Database, input: OpenGrantInput): Promise<Grant> {
  const id = await db.transaction((tx) => openGrantIn(tx, input));
  return (await findGrants(db, [id]))[0]!;
}

export async function loadGrant(db: Sql, grantId: string): Promise<Grant> {
  const grant = isUuid(grantId) ? (await findGrants(db, [grantId]))[0] : undefined;
  if (!grant) throw notFound('Grant');
  return grant;
}
