// The notifications funds emits about grants (payloads as in docs/events.md).
import { type Sql, writeEvent } from '@mentoring/db';
import { NOTIFICATIONS_QUEUE } from './funding';

export interface GrantIssuedEvent {
  grantId: string;
  programName: string;
  amountCents: number;
  /** Formatted `XXXXX-XXXXX`: the email is how the young person gets it. */
  claimCode: string;
  expiresAt: string;
  email?: string;
  guardianEmail?: string;
  beneficiaryFirstName: string;
}

export interface GrantClaimedEvent {
  grantId: string;
  programName: string;
  holderUserId: string;
  balanceCents: number;
}

export interface GrantExpiringEvent {
  grantId: string;
  programName: string;
  holderUserId: string;
  balanceCents: number;
  expiresAt: string;
}

export interface GrantExpiredEvent {
  grantId: string;
  programName: string;
  holderUserId?: string;
  returnedCents: number;
}

interface GrantEvents {
  'grant.issued': GrantIssuedEvent;
  'grant.claimed': GrantClaimedEvent;
  'grant.expiring': GrantExpiringEvent;
  'grant.expired': GrantExpiredEvent;
}

/** Writes a grant event to the outbox, in the transaction of the change it describes. */
export function writeGrantEvent<T extends keyof GrantEvents>(tx: Sql, type: T, payload: GrantEvents[T]) {
  return writeEvent(tx, { queue: NOTIFICATIONS_QUEUE, type, payload });
}
