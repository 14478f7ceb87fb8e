import type { OutboxEvent } from '@mentoring/db';
import { z } from 'zod';
import type { RecipientRef } from './recipients';

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

const holder = (userId: string | null | undefined): RecipientRef[] =>
  userId ? [{ kind: 'user', id: userId }] : [];
const organization = (organizationId: string): RecipientRef[] => [
  { kind: 'organization', id: organizationId },
];

/** Who is told about each event (docs/events.md, "who is told"). */
export const recipientsOf: { [T in EventType]: (payload: PayloadOf<T>) => RecipientRef[] } = {
  'contribution.received': (p) => organization(p.sponsorOrganizationId),
  'grant.issued': (p) => [
    ...(p.email ? [{ kind: 'email' as const, email: p.email, role: 'beneficiary' as const }] : []),
    ...(p.guardianEmail
      ? [{ kind: 'email' as const, email: p.guardianEmail, role: 'guardian' as const }]
      : []),
  ],
  'grant.claimed': (p) => holder(p.holderUserId),
  'grant.expiring': (p) => holder(p.holderUserId),
  'grant.expired': (p) => holder(p.holderUserId),
  'redemption.authorized': (p) => organization(p.providerId),
  'redemption.confirmed': (p) => holder(p.holderUserId),
  'redemption.cancelled': (p) => holder(p.holderUserId),
  'redemption.expired': (p) => holder(p.holderUserId),
  'payout.approved': (p) => organization(p.providerId),
  'payout.paid': (p) => organization(p.providerId),
};

/** The job data the outbox relay writes: `{ id, type, payload, occurredAt }`. */
export const jobData = z.object({
  id: id,
  type: z.string().min(1),
  payload: z.unknown(),
  occurredAt: z.string(),
}) satisfies z.ZodType<OutboxEvent>;

/** An event whose type and payload were checked. */
export interface KnownEvent<T extends EventType = EventType> {
  id: string;
  type: T;
  payload: PayloadOf<T>;
  occurredAt: string;
}
