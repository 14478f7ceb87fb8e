// A grant's life: ISSUED → ACTIVE (claimed) → EXPIRED or REVOKED. Money left on
// a grant that ends goes back to its program; holds (pending payments) stay
// until their redemption is captured or voided.
import type { Database, Sql } from '@mentoring/db';
import { emitEvent } from '@mentoring/events';
import { type InternalClient, identityApi } from '@mentoring/internal-api';
import { notFound, UserError } from '@mentoring/subgraph-kit';
import type { Program } from '../db/funds';
import {
  findGrantByCodeHash,
  findGrants,
  type Grant,
  lockEndedGrantsWithMoney,
  lockGrant,
  lockGrantsToExpire,
  lockGrantsToRemind,
  markClaimed,
  markExpired,
  markReminded,
  markRevoked,
} from '../db/grants';
import { findBalance } from '../db/ledger';
import { type ClaimCodeKeys, normalizeClaimCode } from './claim-codes';
import { account } from './ledger/accounts';
import { transfer } from './ledger/transfers';
import { isUuid, today } from './values';

/** The last instant of a calendar day (UTC). */
export const endOfDay = (date: string) => new Date(`${date}T23:59:59.999Z`);

/** An unclaimed grant expires when issuing closes (or, without issueUntil, at the spend deadline). */
export const unclaimedExpiry = (program: Pick<Program, 'issueUntil' | 'spendDeadline'>) =>
  endOfDay(program.issueUntil ?? program.spendDeadline);

/** How long before expiry the holder is reminded. */
export const EXPIRING_NOTICE_MS = 7 * 86_400_000;

const alreadyFinal = (message: string) => new UserError('ALREADY_FINAL', message);

/** Why a grant in this state cannot be claimed. */
function refuseClaim(grant: Grant, now: Date): void {
  if (grant.status === 'ACTIVE') throw alreadyFinal('This code was already used.');
  if (grant.status === 'EXPIRED') throw alreadyFinal('This grant expired: its code can no longer be used.');
  if (grant.status === 'REVOKED')
    throw alreadyFinal('This grant was withdrawn: its code can no longer be used.');
  if (grant.expiresAt <= now)
    throw new UserError('NOT_ELIGIBLE', 'This code expired and can no longer be used.');
}

/** Counts wrong codes per user and per IP; see src/limits/claim-attempts.ts. */
export interface ClaimAttempts {
  /** Counts one attempt; false when the user or the IP is over its limit. */
  take(userId: string, ip: string): Promise<boolean>;
  /** The code was a real one: this attempt does not count as a wrong guess. */
  giveBack(userId: string, ip: string): Promise<void>;
}

export interface ClaimDeps {
  db: Database;
  identity: InternalClient;
  codes: ClaimCodeKeys;
  attempts: ClaimAttempts;
  now?: () => Date;
}

/** Same answer for a mistyped, unknown or made-up code: it never tells whether a code exists. */
export const invalidCode = () => new UserError('NOT_FOUND', 'This code is not valid.');

/**
 * The signed-in user claims a grant with its code: it becomes ACTIVE, held by
 * them, until the spend deadline. Under 14 only a guardian may claim, with
 * `guardianConsent` (identity decides and records it). Single use: the grant
 * row is locked and changed only while ISSUED, so of concurrent claims one wins.
 */
export async function claimGrant(
  deps: ClaimDeps,
  caller: { userId: string; ip: string },
  code: string,
  guardianConsent: boolean,
): Promise<Grant> {
  if (!(await deps.attempts.take(caller.userId, caller.ip)))
    throw new UserError('RATE_LIMITED', 'Too many wrong codes. Please wait a few minutes and try again.');
  const canonical = normalizeClaimCode(code);
  const found = canonical ? await findGrantByCodeHash(deps.db, deps.codes.hash(canonical)) : null;
  if (!found) throw invalidCode();
  await deps.attempts.giveBack(caller.userId, caller.ip);
  const now = deps.now?.() ?? new Date();
  refuseClaim(found, now);
  await deps.db.transaction(async (tx) => {
    const grant = (await lockGrant(tx, found.id))!;
    refuseClaim(grant, now);
    // The row stays locked while identity links the holder: a concurrent claim waits, then sees ACTIVE.
    await deps.identity(identityApi.linkBeneficiaryHolder, {
      beneficiaryId: grant.beneficiaryId,
      userId: caller.userId,
      guardianConsent,
      today: today(now),
    });
    if (!(await markClaimed(tx, grant.id, caller.userId, endOfDay(grant.spendDeadline))))
      throw alreadyFinal('This code was already used.');
    await emitEvent(tx, 'grant.claimed', {
      grantId: grant.id,
      programName: grant.programName,
      holderUserId: caller.userId,
      balanceCents: grant.balanceCents,
    });
  });
  return (await findGrants(deps.db, [found.id]))[0]!;
}

/**
 * Gives the grant's available balance (not its holds) back to the program,
 * under the grant's row lock. Returns the cents moved.
 */
async function returnBalance(tx: Sql, grant: Grant, key: string): Promise<number> {
  const available = (await findBalance(tx, account.grant(grant.id).id))?.availableCents ?? 0;
  if (available <= 0) return 0;
  await transfer(tx, {
    idempotencyKey: key,
    debit: account.grant(grant.id),
    credit: account.program(grant.programId),
    amountCents: available,
    kind: 'GRANT_RETURN',
    metadata: { grantId: grant.id },
  });
  return available;
}

/** Operators withdraw a grant (ISSUED or ACTIVE): REVOKED, its available balance back to the program. */
export async function revokeGrant(db: Database, revokedBy: string, grantId: string, reason: string | null) {
  const trimmed = reason?.trim() || null;
  if (trimmed && trimmed.length > 500)
    throw new UserError('BAD_USER_INPUT', 'reason must be at most 500 characters.');
  await db.transaction(async (tx) => {
    const grant = isUuid(grantId) ? await lockGrant(tx, grantId) : null;
    if (!grant) throw notFound('Grant');
    if (grant.status === 'EXPIRED' || grant.status === 'REVOKED')
      throw alreadyFinal(`This grant is already ${grant.status.toLowerCase()}.`);
    await returnBalance(tx, grant, `revoke:${grant.id}`);
    await markRevoked(tx, grant.id, revokedBy, trimmed);
  });
  return (await findGrants(db, [grantId]))[0]!;
}

export interface MaintenanceResult {
  expired: number;
  reminded: number;
  /** Ended grants whose voided holds came back after they ended, returned to their program. */
  swept: number;
}

/**
 * The expiry step (run by the funds-maintenance job, callable directly):
 * grants past their expiry become EXPIRED and give their available balance
 * back (`expire:<grantId>`); active grants expiring within 7 days get one
 * `grant.expiring`; money that comes back to an ended grant later (a hold
 * voided) goes to the program too. Rows are taken with SKIP LOCKED and changed only while
 * live, so two runs at once never do anything twice.
 */
export async function runGrantMaintenance(
  db: Database,
  { now = new Date(), batchSize = 100 }: { now?: Date; batchSize?: number } = {},
): Promise<MaintenanceResult> {
  const result: MaintenanceResult = { expired: 0, reminded: 0, swept: 0 };
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const ids = await lockGrantsToExpire(tx, now, batchSize);
      for (const grant of await findGrants(tx, ids)) {
        const returnedCents = await returnBalance(tx, grant, `expire:${grant.id}`);
        await markExpired(tx, grant.id);
        await emitEvent(tx, 'grant.expired', {
          grantId: grant.id,
          programName: grant.programName,
          ...(grant.holderUserId ? { holderUserId: grant.holderUserId } : {}),
          returnedCents,
        });
      }
      result.expired += ids.length;
      return ids.length < batchSize;
    });
    if (done) break;
  }
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const ids = await lockGrantsToRemind(tx, now, new Date(now.getTime() + EXPIRING_NOTICE_MS), batchSize);
      for (const grant of await findGrants(tx, ids)) {
        await markReminded(tx, grant.id);
        await emitEvent(tx, 'grant.expiring', {
          grantId: grant.id,
          programName: grant.programName,
          holderUserId: grant.holderUserId!,
          balanceCents: grant.balanceCents,
          expiresAt: grant.expiresAt.toISOString(),
        });
      }
      result.reminded += ids.length;
      return ids.length < batchSize;
    });
    if (done) break;
  }
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const ended = await lockEndedGrantsWithMoney(tx, batchSize);
      for (const grant of ended)
        await transfer(tx, {
          // The account's totals name this state: a concurrent run at the same state replays the same transfer.
          idempotencyKey: `return:${grant.id}:${grant.state}`,
          debit: account.grant(grant.id),
          credit: account.program(grant.programId),
          amountCents: grant.availableCents,
          kind: 'GRANT_RETURN',
          metadata: { grantId: grant.id },
        });
      result.swept += ended.length;
      return ended.length < batchSize;
    });
    if (done) break;
  }
  return result;
}
