import { createHash } from 'node:crypto';
import type { Database } from '@mentoring/db';
import type { Logger } from '@mentoring/subgraph-kit';
import { type Job, UnrecoverableError } from 'bullmq';
import { type DeliveryOutcome, deliverOnce } from '../db/deliveries';
import {
  type EventType,
  eventPayloads,
  isEventType,
  jobData,
  type KnownEvent,
  recipientsOf,
} from '../events';
import { type Mailer, stableMessageId } from '../mailer';
import { type Recipient, type RecipientDirectory, type RecipientRef, resolveRecipients } from '../recipients';
import { renderEvent } from '../templates';

/** Worker-side retry policy; overrides what the job carries (the relay's: 8 attempts, exponential from 1 s). */
export interface RetryPolicy {
  attempts: number;
  /** First delay of the exponential backoff (then ×2 each attempt). */
  delayMs: number;
}

export interface DeliverDependencies {
  db: Database;
  directory: RecipientDirectory;
  mailer: Mailer;
  /** Right-hand side of generated Message-IDs. */
  mailDomain: string;
  log: Logger;
  retry?: RetryPolicy | undefined;
}

export interface DeliverResult {
  type: string;
  sent: number;
  alreadySent: number;
  unreachable: number;
}

/** The job could never succeed as it is (bad data, unknown type): straight to the failed set, visible. */
const unrecoverable = (message: string) => new UnrecoverableError(message);

function readEvent(job: Job): KnownEvent {
  const data = jobData.safeParse(job.data);
  if (!data.success) throw unrecoverable(`job ${job.id} is not an event: ${data.error.message}`);
  const { id, type, payload, occurredAt } = data.data;
  if (!isEventType(type)) throw unrecoverable(`no template for event type ${type}`);
  const parsed = eventPayloads[type].safeParse(payload);
  if (!parsed.success)
    throw unrecoverable(`event ${id} (${type}) has an invalid payload: ${parsed.error.message}`);
  return { id, type, payload: parsed.data, occurredAt } as KnownEvent;
}

const recipientRefs = (event: KnownEvent): RecipientRef[] =>
  (recipientsOf[event.type] as (payload: unknown) => RecipientRef[])(event.payload);

/** `20251204T200000Z_grant.issued_<event id>_<recipient hash>`: sorts by time, stable across retries. */
function fileStem(event: KnownEvent, recipient: string): string {
  const at = new Date(event.occurredAt);
  const stamp = Number.isNaN(at.getTime()) ? 'undated' : at.toISOString().replace(/[-:]|\.\d+/g, '');
  const who = createHash('sha256').update(recipient).digest('hex').slice(0, 8);
  return `${stamp}_${event.type}_${event.id}_${who}`;
}

/**
 * Processes one `notifications` job: reads the event, resolves its
 * recipients, and sends each of them the event's message exactly once
 * (see `deliverOnce`). Failed sends are recorded and the job is thrown back
 * to BullMQ, which retries it with backoff; recipients already served are
 * skipped on the retry.
 */
export function createDeliverProcessor(deps: DeliverDependencies) {
  return async function deliver(job: Job): Promise<DeliverResult> {
    if (deps.retry) {
      // Read by BullMQ when this attempt fails, to decide on and delay the next one.
      job.opts.attempts = deps.retry.attempts;
      job.opts.backoff = { type: 'exponential', delay: deps.retry.delayMs };
    }
    const event = readEvent(job);
    const log = deps.log.child({ eventId: event.id, eventType: event.type, attempt: job.attemptsMade + 1 });

    const { recipients, unreachable } = await resolveRecipients(recipientRefs(event), deps.directory);
    for (const { ref, reason } of unreachable)
      log.warn({ ref, reason }, 'recipient cannot be written to; skipped');

    const outcomes: Array<{ recipient: Recipient; outcome: DeliveryOutcome }> = [];
    for (const recipient of recipients) {
      const outcome = await sendOnce(deps, event as KnownEvent<EventType>, recipient);
      outcomes.push({ recipient, outcome });
      if (outcome.status === 'failed')
        log.warn({ err: outcome.error.message, attempts: outcome.attempts }, 'message not sent; will retry');
    }

    const failed = outcomes.filter((o) => o.outcome.status === 'failed');
    if (failed.length > 0) {
      const first = failed[0]?.outcome as { error: Error };
      throw new Error(`${failed.length} of ${recipients.length} messages not sent: ${first.error.message}`);
    }
    const result: DeliverResult = {
      type: event.type,
      sent: outcomes.filter((o) => o.outcome.status === 'sent').length,
      alreadySent: outcomes.filter((o) => o.outcome.status === 'already-sent').length,
      unreachable: unreachable.length,
    };
    log.info(result, 'event delivered');
    return result;
  };
}

function sendOnce(
  deps: DeliverDependencies,
  event: KnownEvent,
  recipient: Recipient,
): Promise<DeliveryOutcome> {
  const messageId = stableMessageId(event.id, recipient.address, deps.mailDomain);
  return deliverOnce(
    deps.db,
    { eventId: event.id, eventType: event.type, recipient: recipient.address, messageId },
    async () => {
      const message = renderEvent(event, recipient);
      await deps.mailer.send({
        to: { address: recipient.address, name: recipient.name },
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId,
        headers: {
          'Content-Language': message.locale,
          'Auto-Submitted': 'auto-generated',
          'X-Mentoring-Event-Id': event.id,
          'X-Mentoring-Event-Type': event.type,
        },
        fileStem: fileStem(event, recipient.address),
      });
    },
  );
}
