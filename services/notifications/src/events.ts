import type { OutboxEvent } from '@mentoring/db';
import { type EventType, eventPayloads, isEventType, type PayloadOf } from '@mentoring/events';
import { z } from 'zod';
import type { RecipientRef } from './recipients';

export { type EventType, eventPayloads, isEventType, type PayloadOf };

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
  id: z.string().min(1),
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
