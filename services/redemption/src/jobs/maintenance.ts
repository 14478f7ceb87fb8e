// The `redemption-maintenance` queue: a BullMQ job scheduler runs recovery
// and expiry every few seconds; any redemption process may do the work
// (each row is claimed by one runner).
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

export const MAINTENANCE_QUEUE = 'redemption-maintenance';

export interface MaintenanceJobs {
  recover(): Promise<unknown>;
  expire(): Promise<unknown>;
}

export interface MaintenanceOptions {
  redisUrl: string;
  prefix: string;
  everyMs: number;
  jobs: MaintenanceJobs;
  log: { error(obj: object, msg?: string): void };
}

export async function startMaintenance(options: MaintenanceOptions): Promise<{ close(): Promise<void> }> {
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', () => {});
  const queue = new Queue(MAINTENANCE_QUEUE, { connection, prefix: options.prefix });
  queue.on('error', () => {});
  const template = { opts: { removeOnComplete: 100, removeOnFail: 100 } };
  await queue.upsertJobScheduler(
    'recover-stale',
    { every: options.everyMs },
    { name: 'recover', ...template },
  );
  await queue.upsertJobScheduler(
    'expire-authorizations',
    { every: options.everyMs },
    { name: 'expire', ...template },
  );
  const workerConnection = connection.duplicate();
  workerConnection.on('error', () => {});
  const worker = new Worker(
    MAINTENANCE_QUEUE,
    async (job) => {
      if (job.name === 'recover') return options.jobs.recover();
      if (job.name === 'expire') return options.jobs.expire();
      return undefined;
    },
    { connection: workerConnection, prefix: options.prefix, concurrency: 1 },
  );
  worker.on('error', () => {});
  worker.on('failed', (job, err) =>
    options.log.error({ job: job?.name, err: err.message }, 'redemption maintenance job failed'),
  );
  return {
    async close() {
      await worker.close();
      await queue.close();
      workerConnection.disconnect();
      connection.disconnect();
    },
  };
}
