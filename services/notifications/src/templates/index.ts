import type { EventType, KnownEvent, PayloadOf } from '../events';
import type { Recipient } from '../recipients';
import { contributionReceived } from './contribution-received';
import { grantClaimed } from './grant-claimed';
import { grantExpired } from './grant-expired';
import { grantExpiring } from './grant-expiring';
import { grantIssued } from './grant-issued';
import { type RenderedMessage, render, type Template } from './layout';
import { payoutApproved } from './payout-approved';
import { payoutPaid } from './payout-paid';
import { redemptionAuthorized } from './redemption-authorized';
import { redemptionCancelled } from './redemption-cancelled';
import { redemptionConfirmed } from './redemption-confirmed';
import { redemptionExpired } from './redemption-expired';

export type { RenderedMessage } from './layout';

/** One template per event type of docs/events.md. */
export const templates: { [T in EventType]: Template<PayloadOf<T>> } = {
  'contribution.received': contributionReceived,
  'grant.issued': grantIssued,
  'grant.claimed': grantClaimed,
  'grant.expiring': grantExpiring,
  'grant.expired': grantExpired,
  'redemption.authorized': redemptionAuthorized,
  'redemption.confirmed': redemptionConfirmed,
  'redemption.cancelled': redemptionCancelled,
  'redemption.expired': redemptionExpired,
  'payout.approved': payoutApproved,
  'payout.paid': payoutPaid,
};

/** The message an event sends to one recipient, in the recipient's language. */
export function renderEvent<T extends EventType>(event: KnownEvent<T>, to: Recipient): RenderedMessage {
  return render(templates[event.type] as Template<PayloadOf<T>>, event.payload, to);
}
