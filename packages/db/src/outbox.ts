import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Database, Sql } from './database';
import type { Migration } from './migrate';

export const OUTBOX_MIGRATION: Migration = {
  name: '0000_platform_outbox',
  sql: `
CREATE TABLE outbox (
  id uuid PRIMARY KEY,
  queue text NOT NULL,
  type text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  published_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);
CREATE INDEX outbox_unpublished ON outbox (created_at) WHERE published_at IS NULL;
`,
};

/** An event as it travels from the outbox to a queue consumer. */
export interface OutboxEvent<P = unknown> {
  id: string;
  type: string;
  payload: P;
  occurredAt: string;
}

/**
 * Records an event in the same transaction as the state change it describes.
 * It reaches the queue once the transaction commits and the relay runs.
 */
export async function writeEvent(
  tx: Sql,
  event: { queue: string; type: string; payload: unknown; id?: string },
): Promise<string> {
  const id = event.id ?? randomUUID();
  await tx.query('INSERT INTO outbox (id, queue, type, payload) VALUES ($1, $2, $3, $4)', [
    id,
    event.queue,
    event.type,
    JSON.stringify(event.payload),
  ]);
  return id;
}

export interface RelayLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface OutboxRelayOptions {
  db: Database;
  /** A connection for BullMQ (its own; blocking commands are not used by producers). */
  connection: Redis;
  /** BullMQ key prefix (isolates environments and test files). */
  prefix?: string;
  batchSize?: number;
  /** Poll interval when the outbox was empty. */
  idleMs?: number;
  /** Longest wait after failures (exponential backoff up to this). */
  maxBackoffMs?: number;
  /** How long Redis may take to accept a batch before the batch is rolled back and retried. */
  publishTimeoutMs?: number;
  logger?: RelayLogger;
}

export interface OutboxRelay {
  /** Moves one batch; returns how many events were published. */
  publishBatch(): Promise<number>;
  /** Asks the loop to look now instead of waiting for the next tick. */
  wake(): void;
  stop(): Promise<void>;
}

interface OutboxRow {
  id: string;
  queue: string;
  type: string;
  payload: unknown;
  created_at: Date | string;
}

/**
 * Moves committed outbox rows to BullMQ with `jobId` = event id. Rows are
 * claimed with `FOR UPDATE SKIP LOCKED` (several relays may run) and marked
 * published in the same transaction, after Redis accepted the job: if Redis is
 * down the transaction rolls back and the rows wait for the next attempt
 * (at least once; consumers deduplicate on the event id).
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const {
    db,
    connection,
    prefix,
    batchSize = 100,
    idleMs = 200,
    maxBackoffMs = 5000,
    publishTimeoutMs = 5000,
    logger,
  } = options;
  const queues = new Map<string, Queue>();
  const queueFor = (name: string) => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection, ...(prefix ? { prefix } : {}) });
      queue.on('error', () => {});
      queues.set(name, queue);
    }
    return queue;
  };

  const publishBatch = () =>
    db.transaction(async (tx) => {
      const rows = await tx.query<OutboxRow>(
        `SELECT id, queue, type, payload, created_at FROM outbox
          WHERE published_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length === 0) return 0;
      const byQueue = new Map<string, OutboxRow[]>();
      for (const row of rows) byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row]);
      for (const [name, events] of byQueue) {
        const added = queueFor(name).addBulk(
          events.map((row) => ({
            name: row.type,
            data: {
              id: row.id,
              type: row.type,
              payload: row.payload,
              occurredAt: new Date(row.created_at).toISOString(),
            } satisfies OutboxEvent,
            opts: {
              jobId: row.id,
              attempts: 8,
              backoff: { type: 'exponential', delay: 1000 },
              removeOnComplete: { age: 7 * 24 * 3600 },
              removeOnFail: false,
            },
          })),
        );
        await withTimeout(
          added,
          publishTimeoutMs,
          `Redis did not accept the events within ${publishTimeoutMs} ms`,
        );
      }
      await tx.query(
        'UPDATE outbox SET published_at = clock_timestamp(), attempts = attempts + 1 WHERE id = ANY($1)',
        [rows.map((r) => r.id)],
      );
      return rows.length;
    });

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wakeUp: (() => void) | undefined;
  let failures = 0;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wakeUp = resolve;
      timer = setTimeout(resolve, ms);
    });

  const loop = (async () => {
    while (!stopped) {
      let published = 0;
      try {
        published = await publishBatch();
        if (failures > 0) logger?.info({ failures }, 'outbox relay recovered');
        failures = 0;
      } catch (error) {
        failures++;
        if (failures === 1 || failures % 20 === 0)
          logger?.warn(
            { err: (error as Error).message, failures },
            'outbox relay cannot publish; will retry',
          );
      }
      if (stopped) break;
      if (failures > 0) await sleep(Math.min(maxBackoffMs, 100 * 2 ** Math.min(failures, 10)));
      else if (published < batchSize) await sleep(idleMs);
    }
  })();

  return {
    publishBatch,
    wake() {
      if (timer) clearTimeout(timer);
      wakeUp?.();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wakeUp?.();
      await loop;
      await Promise.all(
        [...queues.values()].map((q) =>
          withTimeout(q.close(), publishTimeoutMs, 'queue close').catch(() => {}),
        ),
      );
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  promise.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
