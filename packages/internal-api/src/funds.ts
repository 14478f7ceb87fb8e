// Internal API contracts served by the funds service (input and output schemas).
// Payments are idempotent on the redemption id: retrying a call with the same
// input returns the first result; the same redemption with a different input
// is an IDEMPOTENCY_CONFLICT.
import { z } from 'zod';
import { contract } from './client';

const id = z.string().min(1).max(100);
const cents = z
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);
/** A calendar date, `YYYY-MM-DD`. */
const date = z.iso.date();

/**
 * Puts a hold on a grant for a redemption (a pending transfer grant →
 * provider). NOT_FOUND for an unknown grant; NOT_ELIGIBLE when the grant is
 * not ACTIVE (ISSUED, EXPIRED, REVOKED), its spend deadline passed, or its spend rules exclude the
 * category, provider or offering; INSUFFICIENT_FUNDS when its balance cannot
 * cover the amount. `grantBalanceCents` is the grant's available balance
 * after the hold (its current one on a retry).
 */
export const authorizePayment = contract(
  'funds',
  'authorizePayment',
  z.object({
    redemptionId: id,
    grantId: id,
    providerId: id,
    offeringId: id,
    category: z.string().min(1).max(50),
    amountCents: cents,
  }),
  z.object({ transferId: z.string(), grantBalanceCents: z.number().int() }),
);

/**
 * Captures an authorized payment, in full or for less (`amountCents`): the
 * rest goes back to the grant. ALREADY_FINAL when it was voided; NOT_FOUND
 * without an authorization; BAD_USER_INPUT above the authorized amount.
 */
export const capturePayment = contract(
  'funds',
  'capturePayment',
  z.object({ redemptionId: id, amountCents: cents.optional() }),
  z.object({
    transferId: z.string(),
    capturedCents: z.number().int(),
    releasedCents: z.number().int(),
    grantBalanceCents: z.number().int(),
  }),
);

/** Releases an authorized payment in full. ALREADY_FINAL when it was captured. */
export const voidPayment = contract(
  'funds',
  'voidPayment',
  z.object({ redemptionId: id }),
  z.object({ transferId: z.string(), releasedCents: z.number().int(), grantBalanceCents: z.number().int() }),
);

/**
 * Gives a captured payment back to the grant (a new transfer provider →
 * grant). BAD_USER_INPUT when it was only authorized (void it instead);
 * ALREADY_FINAL when it was voided; NOT_ELIGIBLE when the grant has ended
 * (EXPIRED or REVOKED) — a retry of a refund already made still answers.
 */
export const refundPayment = contract(
  'funds',
  'refundPayment',
  z.object({ redemptionId: id }),
  z.object({ transferId: z.string(), refundedCents: z.number().int(), grantBalanceCents: z.number().int() }),
);

/** A grant with its spend rules and available balance. NOT_FOUND for an unknown grant. */
export const getGrant = contract(
  'funds',
  'getGrant',
  z.object({ grantId: id }),
  z.object({
    id: z.string(),
    status: z.enum(['ISSUED', 'ACTIVE', 'EXPIRED', 'REVOKED']),
    holderUserId: z.string().nullable(),
    beneficiaryId: z.string(),
    programId: z.string(),
    communityId: z.string(),
    amountCents: z.number().int(),
    balanceCents: z.number().int(),
    /** Empty: any category (same for providers and offerings). */
    eligibleCategories: z.array(z.string()),
    eligibleProviderIds: z.array(z.string()),
    eligibleOfferingIds: z.array(z.string()),
    spendDeadline: date,
    /** ISO 8601. */
    expiresAt: z.string(),
  }),
);
