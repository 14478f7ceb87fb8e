import type { Database } from '@mentoring/db';
import type { Delivery } from './schema';

export interface DeliveryKey {
  eventId: string;
  eventType: string;
  recipient: string;
  messageId: string;
}

export type DeliveryOutcome =
  | { status: 'sent'; attempts: number }
  | { status: 'already-sent'; attempts: number }
  | { status: 'failed'; attempts: number; error: Error };

const MAX_ERROR_LENGTH = 1000;

/**
 * Sends one (event, recipient) message at most once. The delivery row is
 * created or locked (`INSERT … ON CONFLICT DO UPDATE` takes the row lock)
 * and kept locked while `send` runs, so a concurrent copy of the same event
 * waits and then sees `sent`. A send that throws is recorded as `failed`
 * (attempts, last error) and returned, not thrown, so the row is committed.
 * If the process dies between the SMTP server's acceptance and the commit,
 * the row rolls back and the next attempt sends again (same Message-ID).
 */
export async function deliverOnce(
  db: Database,
  key: DeliveryKey,
  send: () => Promise<void>,
): Promise<DeliveryOutcome> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ status: string; attempts: number }>(
      `INSERT INTO deliveries (event_id, recipient, event_type, status, attempts, message_id)
       VALUES ($1, $2, $3, 'pending', 1, $4)
       ON CONFLICT (event_id, recipient) DO UPDATE
         SET attempts = CASE WHEN deliveries.status = 'sent' THEN deliveries.attempts ELSE deliveries.attempts + 1 END,
             updated_at = CASE WHEN deliveries.status = 'sent' THEN deliveries.updated_at ELSE clock_timestamp() END
       RETURNING status, attempts`,
      [key.eventId, key.recipient, key.eventType, key.messageId],
    );
    if (!row) throw new Error('delivery row was not written');
    if (row.status === 'sent') return { status: 'already-sent', attempts: row.attempts };
    try {
      await send();
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      await tx.query(
        `UPDATE deliveries SET status = 'failed', last_error = $3, updated_at = clock_timestamp()
          WHERE event_id = $1 AND recipient = $2`,
        [key.eventId, key.recipient, err.message.slice(0, MAX_ERROR_LENGTH)],
      );
      return { status: 'failed', attempts: row.attempts, error: err };
    }
    await tx.query(
      `UPDATE deliveries SET status = 'sent', sent_at = clock_timestamp(), last_error = NULL, updated_at = clock_timestamp()
        WHERE event_id = $1 AND recipient = $2`,
      [key.eventId, key.recipient],
    );
    return { status: 'sent', attempts: row.attempts };
  });
}

/**
 * Delivery records, oldest first; of one event when `eventId` is given (ops, tests).
 * Raw SQL through `db.query` so it is serialized with transactions on PGlite too.
 */
export async function listDeliveries(db: Database, eventId?: string): Promise<Delivery[]> {
  return db.query<Delivery>(
    `SELECT event_id AS "eventId", recipient, event_type AS "eventType", status, attempts,
            message_id AS "messageId", last_error AS "lastError", sent_at AS "sentAt",
            created_at AS "createdAt", updated_at AS "updatedAt"
       FROM deliveries WHERE $1::text IS NULL OR event_id = $1
      ORDER BY created_at, recipient`,
    [eventId ?? null],
  );
}
