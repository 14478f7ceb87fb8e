// Whether a grant's holder may spend it on an offering, and for how much.
import { createHash } from 'node:crypto';
import type { catalogApi, fundsApi } from '@mentoring/internal-api';
import { badInput, forbidden, UserError } from '@mentoring/subgraph-kit';
import type { z } from 'zod';

export type GrantView = z.output<typeof fundsApi.getGrant.output>;
export type OfferingView = z.output<typeof catalogApi.getOfferings.output>[number];

export interface RedeemInput {
  grantId: string;
  offeringId: string;
  idempotencyKey: string;
  amountCents?: number | null | undefined;
}

const notEligible = (message: string) => new UserError('NOT_ELIGIBLE', message);

/** Same key and same fingerprint: the same request (the amount as asked, not as defaulted). */
export function fingerprintOf(input: RedeemInput): string {
  const canonical = JSON.stringify([input.grantId, input.offeringId, input.amountCents ?? null]);
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Whole years between a birth date and a day (both `YYYY-MM-DD`). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export const needsBirthDate = (offering: OfferingView) =>
  offering.minAge !== null || offering.maxAge !== null;

/**
 * Checks everything known before the saga starts and returns the amount to
 * authorize: the holder, the offering's status, the grant's spend rules, the
 * beneficiary's age, the amount (price by default, less for a co-payment).
 * The grant's balance is funds' to guard (INSUFFICIENT_FUNDS at authorization).
 */
export function checkRedeemable(args: {
  viewerId: string;
  grant: GrantView;
  offering: OfferingView;
  birthDate?: string | undefined;
  amountCents?: number | null | undefined;
  today: string;
}): number {
  const { grant, offering, today } = args;
  if (grant.holderUserId !== args.viewerId) throw forbidden('Only the holder of this grant can spend it.');
  if (grant.status !== 'ACTIVE') throw notEligible(`The grant is ${grant.status.toLowerCase()}, not active.`);
  if (grant.spendDeadline < today) throw notEligible('The grant can no longer be spent (deadline passed).');
  if (offering.status !== 'PUBLISHED')
    throw badInput('This offering is not open for redemptions.', 'offeringId');
  if (offering.communityId !== grant.communityId)
    throw notEligible('The offering is not in the community of the grant.');
  const allows = (list: string[], value: string) => list.length === 0 || list.includes(value);
  if (!allows(grant.eligibleCategories, offering.category))
    throw notEligible('The grant cannot be spent in this category.');
  if (!allows(grant.eligibleProviderIds, offering.providerId))
    throw notEligible('The grant cannot be spent with this provider.');
  if (!allows(grant.eligibleOfferingIds, offering.id))
    throw notEligible('The grant cannot be spent on this offering.');
  if (needsBirthDate(offering)) {
    if (!args.birthDate) throw notEligible('The beneficiary of this grant is unknown.');
    const age = ageOn(args.birthDate, today);
    if (offering.minAge !== null && age < offering.minAge)
      throw notEligible(`This offering is for ages ${offering.minAge} and up.`);
    if (offering.maxAge !== null && age > offering.maxAge)
      throw notEligible(`This offering is for ages up to ${offering.maxAge}.`);
  }
  const amount = args.amountCents ?? offering.priceCents;
  if (!Number.isInteger(amount) || amount <= 0)
    throw badInput('The amount must be a positive number of cents.', 'amountCents');
  if (amount > offering.priceCents)
    throw badInput('The amount cannot be higher than the price of the offering.', 'amountCents');
  return amount;
}
