// The funds-maintenance queue: a job scheduler runs grant expiry every few minutes.
import type { Database } from '@mentoring/db';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { runGrantMaintenance } from '../domain/grant-lifecycle';

export const MAINTENANCE_QUEUE = 'funds-maintenance';
export const GRANT_EXPIRY_SCHEDULER = 'grant-expiry';
export const GRANT_EXPIRY_JOB = 'expire-grants';
export const DEFAULT_GRANT_EXPIRY_EVERY_MS = 10 * 60_000;

export interface MaintenanceOptions {
  db: Database;
  /** A Redis connection to duplicate (the worker needs its own blocking connection). */
  redis: Redis;
  /** BullMQ key prefix (REDIS_PREFIX). */
  prefix: string;
  everyMs?: number;
  onError?: (error: unknown) => void;
}

export interface Maintenance {
  queue: Queue;
  close(): Promise<void>;
}

/**
 * Registers (or updates) the scheduler — one per queue whatever the number of
 * processes — and starts a worker. The step itself is safe to run twice at once.
 */
export async function startMaintenance(options: MaintenanceOptions): Promise<Maintenance> {
  const queueConnection = options.redis.duplicate();
  const workerConnection = options.redis.duplicate({ maxRetriesPerRequest: null });
  for (const c of [queueConnection, workerConnection]) c.on('error', () => {});
  const queue = new Queue(MAINTENANCE_QUEUE, { connection: queueConnection, prefix: options.prefix });
  queue.on('error', () => {});
  await queue.upsertJobScheduler(
    GRANT_EXPIRY_SCHEDULER,
    { every: options.everyMs ?? DEFAULT_GRANT_EXPIRY_EVERY_MS },
    { name: GRANT_EXPIRY_JOB, opts: { removeOnComplete: 100, removeOnFail: 500 } },
  );
  const worker = new Worker(
    MAINTENANCE_QUEUE,
    async (job) => {
      if (job.name === GRANT_EXPIRY_JOB) return runGrantMaintenance(options.db);
      return undefined;
    },
    { connection: workerConnection, prefix: options.prefix, concurrency: 1 },
  );
  worker.on('error', (error) => options.onError?.(error));
  worker.on('failed', (_job, error) => options.onError?.(error));
  return {
    queue,
    async close() {
      await worker.close();
      await queue.close();
      queueConnection.disconnect();
      workerConnection.disconnect();
    },
  };
}
