import {
  type Database,
  migrate,
  type OutboxEvent,
  openPostgres,
  startOutboxRelay,
  writeEvent,
} from '@mentoring/db';
import { createTestDatabase, waitFor } from '@mentoring/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import {
  createNotifications,
  NOTIFICATIONS_QUEUE,
  type Notifications,
  type NotificationsOptions,
} from '../../src/app';

type ServiceOptions = Omit<NotificationsOptions, 'exactDatabaseUrl'> & { label: string };

/** The notifications worker on a fresh database of its own; closed after the file's tests. */
export async function startNotifications({ label, ...options }: ServiceOptions): Promise<Notifications> {
  const exactDatabaseUrl = await createTestDatabase(label);
  const notifications = await createNotifications({
    concurrency: 2,
    retry: { attempts: 8, delayMs: 100 },
    ...options,
    exactDatabaseUrl,
  });
  afterAll(() => notifications.close());
  return notifications;
}

/** A producer's database with the platform outbox, as funds or redemption has. */
export async function startProducer(label: string): Promise<Database> {
  const db = openPostgres({ service: 'producer', url: await createTestDatabase(label), max: 3 });
  await migrate(db, []);
  afterAll(() => db.close());
  return db;
}

/** Records an event the way producers do (`writeEvent` in a transaction); returns its id. */
export const publish = (db: Database, type: string, payload: unknown) =>
  db.transaction((tx) => writeEvent(tx, { queue: NOTIFICATIONS_QUEUE, type, payload }));

/** The outbox relay a producer runs, moving its events to BullMQ. */
export function startRelay(db: Database, redisUrl: string, prefix: string) {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', () => {});
  const relay = startOutboxRelay({
    db,
    connection,
    prefix,
    idleMs: 50,
    maxBackoffMs: 300,
    publishTimeoutMs: 1000,
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await relay.stop();
    connection.disconnect();
  };
  afterAll(stop);
  return { relay, stop };
}

/** A handle on the `notifications` queue, to add jobs directly and look at them. */
export function notificationsQueue(redisUrl: string, prefix: string): Queue {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', () => {});
  const queue = new Queue(NOTIFICATIONS_QUEUE, { connection, prefix });
  queue.on('error', () => {});
  afterAll(async () => {
    await queue.close();
    connection.disconnect();
  });
  return queue;
}

/** Adds a job exactly as the relay would (same data shape and options), with `jobId` defaulting to the event id. */
export function addEvent(queue: Queue, event: OutboxEvent, jobId = event.id) {
  return queue.add(event.type, event, {
    jobId,
    attempts: 8,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 7 * 24 * 3600 },
    removeOnFail: false,
  });
}

export const event = (id: string, type: string, payload: unknown): OutboxEvent => ({
  id,
  type,
  payload,
  occurredAt: new Date().toISOString(),
});

/** Waits until a job reaches `state` (completed by default). */
export const waitForJob = (queue: Queue, jobId: string, state = 'completed', timeoutMs = 10_000) =>
  waitFor(async () => (await queue.getJobState(jobId)) === state, {
    timeoutMs,
    what: `job ${jobId} ${state}`,
  });

/** Lets in-flight work settle, to check that nothing else arrives. */
export const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));
