// Payments for redemptions: a hold on the grant (pending grant → provider),
// then captured (posted, possibly for less), voided, or refunded after capture.
// Every step is idempotent on the redemption id through its transfer's key.
import type { Database, Sql } from '@mentoring/db';
import { badInput, notFound, UserError } from '@mentoring/subgraph-kit';
import { findGrants, type Grant } from '../db/grants';
import { findBalance, findResolution, findTransferByKey, type Transfer } from '../db/ledger';
import { isInLivePayout } from '../db/settlement';
import { account } from './ledger/accounts';
import { kindOf, resolvePending, sameOrConflict, transfer } from './ledger/transfers';
import { isUuid, today } from './values';

export const paymentKeys = {
  authorize: (redemptionId: string) => `authorize:${redemptionId}`,
  capture: (redemptionId: string) => `capture:${redemptionId}`,
  void: (redemptionId: string) => `void:${redemptionId}`,
  refund: (redemptionId: string) => `refund:${redemptionId}`,
};

export interface AuthorizeInput {
  redemptionId: string;
  grantId: string;
  providerId: string;
  offeringId: string;
  category: string;
  amountCents: number;
}

const notEligible = (message: string) => new UserError('NOT_ELIGIBLE', message);

/** Why the grant cannot pay for this purchase (NOT_ELIGIBLE), if it cannot. */
export function checkSpendable(
  grant: Grant,
  purchase: Omit<AuthorizeInput, 'redemptionId' | 'grantId' | 'amountCents'>,
  now = new Date(),
) {
  if (grant.status !== 'ACTIVE') throw notEligible(`The grant is ${grant.status.toLowerCase()}, not active.`);
  if (grant.spendDeadline < today(now))
    throw notEligible('The grant can no longer be spent (deadline passed).');
  const allows = (list: string[], value: string) => list.length === 0 || list.includes(value);
  if (!allows(grant.eligibleCategories, purchase.category))
    throw notEligible('The grant cannot be spent in this category.');
  if (!allows(grant.eligibleProviderIds, purchase.providerId))
    throw notEligible('The grant cannot be spent with this provider.');
  if (!allows(grant.eligibleOfferingIds, purchase.offeringId))
    throw notEligible('The grant cannot be spent on this offering.');
}

async function availableOf(tx: Sql, accountId: string): Promise<number> {
  return (await findBalance(tx, accountId))?.availableCents ?? 0;
}

const grantAccountOf = (t: Transfer) =>
  kindOf(t.debitAccount) === 'GRANT' ? t.debitAccount : t.creditAccount;

/** Holds `amountCents` of the grant for the provider. */
export async function authorizePayment(
  db: Database,
  input: AuthorizeInput,
): Promise<{ transferId: string; grantBalanceCents: number }> {
  const request = {
    idempotencyKey: paymentKeys.authorize(input.redemptionId),
    debit: account.grant(input.grantId),
    credit: account.provider(input.providerId),
    amountCents: input.amountCents,
    kind: 'PAYMENT' as const,
    pending: true,
    metadata: {
      redemptionId: input.redemptionId,
      grantId: input.grantId,
      providerId: input.providerId,
      offeringId: input.offeringId,
      category: input.category,
    },
  };
  return db.transaction(async (tx) => {
    const grant = isUuid(input.grantId) ? (await findGrants(tx, [input.grantId]))[0] : undefined;
    try {
      if (!grant) throw notFound('Grant');
      checkSpendable(grant, input);
    } catch (refusal) {
      // A retry returns the first hold even if the grant changed since.
      const earlier = await findTransferByKey(tx, request.idempotencyKey);
      if (!earlier) throw refusal;
      sameOrConflict(earlier, {
        idempotencyKey: request.idempotencyKey,
        debitAccount: request.debit.id,
        creditAccount: request.credit.id,
        amountCents: request.amountCents,
        kind: request.kind,
        status: 'PENDING',
        metadata: request.metadata,
      });
      return { transferId: earlier.id, grantBalanceCents: await availableOf(tx, request.debit.id) };
    }
    const result = await transfer(tx, request);
    return {
      transferId: result.transfer.id,
      grantBalanceCents: result.available.get(request.debit.id) ?? (await availableOf(tx, request.debit.id)),
    };
  });
}

async function findAuthorization(tx: Sql, redemptionId: string): Promise<Transfer> {
  const pending = await findTransferByKey(tx, paymentKeys.authorize(redemptionId));
  if (!pending) throw notFound('Payment authorization');
  return pending;
}

/** Moves the held money to the provider: all of it, or `amountCents` and the rest back to the grant. */
export async function capturePayment(
  db: Database,
  input: { redemptionId: string; amountCents?: number | undefined },
): Promise<{ transferId: string; capturedCents: number; releasedCents: number; grantBalanceCents: number }> {
  return db.transaction(async (tx) => {
    const pending = await findAuthorization(tx, input.redemptionId);
    const result = await resolvePending(tx, {
      idempotencyKey: paymentKeys.capture(input.redemptionId),
      pending,
      action: 'POST',
      amountCents: input.amountCents,
      metadata: { redemptionId: input.redemptionId },
    });
    const grantAccount = grantAccountOf(pending);
    return {
      transferId: result.transfer.id,
      capturedCents: result.transfer.amountCents,
      releasedCents: pending.amountCents - result.transfer.amountCents,
      grantBalanceCents: result.available.get(grantAccount) ?? (await availableOf(tx, grantAccount)),
    };
  });
}

/** Releases the whole hold back to the grant. */
export async function voidPayment(
  db: Database,
  input: { redemptionId: string },
): Promise<{ transferId: string; releasedCents: number; grantBalanceCents: number }> {
  return db.transaction(async (tx) => {
    const pending = await findAuthorization(tx, input.redemptionId);
    const result = await resolvePending(tx, {
      idempotencyKey: paymentKeys.void(input.redemptionId),
      pending,
      action: 'VOID',
      metadata: { redemptionId: input.redemptionId },
    });
    const grantAccount = grantAccountOf(pending);
    return {
      transferId: result.transfer.id,
      releasedCents: result.transfer.amountCents,
      grantBalanceCents: result.available.get(grantAccount) ?? (await availableOf(tx, grantAccount)),
    };
  });
}

/**
 * Gives a captured payment back to the grant: a new transfer provider →
 * grant for the captured amount, never an edit of the capture.
 */
export async function refundPayment(
  db: Database,
  input: { redemptionId: string },
): Promise<{ transferId: string; refundedCents: number; grantBalanceCents: number }> {
  return db.transaction(async (tx) => {
    const pending = await findAuthorization(tx, input.redemptionId);
    const capture = await findResolution(tx, pending.id);
    if (!capture) throw badInput('This payment was not captured; void it instead.');
    if (capture.status !== 'POSTED') throw new UserError('ALREADY_FINAL', 'This payment was voided.');
    // The capture row lock orders this refund with a settlement claiming the capture (see claimProviderPayout).
    await tx.query('SELECT id FROM transfers WHERE id = $1 FOR UPDATE', [capture.id]);
    if (await isInLivePayout(tx, capture.id))
      throw new UserError('ALREADY_FINAL', 'This payment was already settled.');
    const grantAccount = grantAccountOf(pending);
    // Money never goes back to a grant that ended (a retry of an earlier refund still answers).
    const grant = (await findGrants(tx, [grantAccount.slice('grant:'.length)]))[0];
    if (
      (grant?.status === 'EXPIRED' || grant?.status === 'REVOKED') &&
      !(await findTransferByKey(tx, paymentKeys.refund(input.redemptionId)))
    )
      throw notEligible(`The grant is ${grant.status.toLowerCase()}: it cannot take a refund.`);
    const result = await transfer(tx, {
      idempotencyKey: paymentKeys.refund(input.redemptionId),
      debit: { id: capture.creditAccount, kind: kindOf(capture.creditAccount) },
      credit: { id: capture.debitAccount, kind: kindOf(capture.debitAccount) },
      amountCents: capture.amountCents,
      kind: 'REFUND',
      reversesId: capture.id,
      metadata: { redemptionId: input.redemptionId },
    });
    return {
      transferId: result.transfer.id,
      refundedCents: result.transfer.amountCents,
      grantBalanceCents: result.available.get(grantAccount) ?? (await availableOf(tx, grantAccount)),
    };
  });
}
