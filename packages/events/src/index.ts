import { type Sql, writeEvent } from '@mentoring/db';
import { z } from 'zod';

/** The BullMQ queue every notification event travels on. */
export const NOTIFICATIONS_QUEUE = 'notifications';

const id = z.string().min(1);
const cents = z.number().int();
const text = z.string();
/** A date (`YYYY-MM-DD`) or an ISO date-time. */
const when = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);
const optionalEmail = z.string().nullish();

/** Payload of every event in docs/events.md that notifications acts on (extra fields are ignored). */
export const eventPayloads = {
  'contribution.received': z.object({
    contributionId: id,
    fundId: id,
    fundName: text,
    sponsorOrganizationId: id,
    amountCents: cents,
  }),
  'grant.issued': z.object({
    grantId: id,
    programName: text,
    amountCents: cents,
    claimCode: text,
    expiresAt: when,
    email: optionalEmail,
    guardianEmail: optionalEmail,
    beneficiaryFirstName: text,
  }),
  'grant.claimed': z.object({ grantId: id, programName: text, holderUserId: id, balanceCents: cents }),
  'grant.expiring': z.object({
    grantId: id,
    programName: text,
    holderUserId: id,
    balanceCents: cents,
    expiresAt: when,
  }),
  'grant.expired': z.object({
    grantId: id,
    programName: text,
    holderUserId: id.nullish(),
    returnedCents: cents,
  }),
  'redemption.authorized': z.object({
    redemptionId: id,
    providerId: id,
    offeringTitle: text,
    amountCents: cents,
    code: text,
  }),
  'redemption.confirmed': z.object({
    redemptionId: id,
    holderUserId: id,
    offeringTitle: text,
    amountCents: cents,
  }),
  'redemption.cancelled': z.object({
    redemptionId: id,
    holderUserId: id,
    offeringTitle: text,
    amountCents: cents,
  }),
  'redemption.expired': z.object({
    redemptionId: id,
    holderUserId: id,
    offeringTitle: text,
    amountCents: cents,
  }),
  'payout.approved': z.object({
    payoutId: id,
    providerId: id,
    amountCents: cents,
    redemptionCount: z.number().int().nonnegative(),
    periodEnd: when,
  }),
  'payout.paid': z.object({ payoutId: id, providerId: id, amountCents: cents, bankReference: text }),
} as const;

export type EventType = keyof typeof eventPayloads;
export type PayloadOf<T extends EventType> = z.infer<(typeof eventPayloads)[T]>;

export const isEventType = (type: string): type is EventType => Object.hasOwn(eventPayloads, type);

/**
 * Writes a notification event to the outbox in the caller's transaction,
 * after checking its payload against the catalogue (docs/events.md): a
 * producer and the notifications worker cannot drift apart.
 */
export function emitEvent<T extends EventType>(
  tx: Sql,
  type: T,
  payload: PayloadOf<T> & Record<string, unknown>,
): Promise<string> {
  const parsed = eventPayloads[type].parse(payload);
  return writeEvent(tx, { queue: NOTIFICATIONS_QUEUE, type, payload: { ...payload, ...parsed } });
}
