import { connectRedis } from '@mentoring/subgraph-kit';
import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { OpsError, UsageError } from './errors';

/** Every BullMQ queue of the platform (prefix `REDIS_PREFIX`). */
export const QUEUE_NAMES = [
  'notifications',
  'settlement',
  'funds-maintenance',
  'redemption-maintenance',
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export const COUNTED_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;
export type QueueCounts = Record<(typeof COUNTED_STATES)[number], number>;

export function queueName(name: string | undefined): QueueName {
  if (!QUEUE_NAMES.includes(name as QueueName))
    throw new UsageError(`Unknown queue "${name ?? ''}"; queues: ${QUEUE_NAMES.join(', ')}`);
  return name as QueueName;
}

export interface Queues {
  redis: Redis;
  get(name: QueueName): Queue;
  all(): Queue[];
  close(): Promise<void>;
}

/** Opens the platform's queues read/write on one Redis connection (no workers). */
export async function openQueues(options: { redisUrl: string; prefix: string }): Promise<Queues> {
  const redis = await connectRedis(options.redisUrl, 'ops').catch((error: Error) => {
    throw new OpsError(error.message, 'REDIS_UNREACHABLE');
  });
  const queues = new Map(
    QUEUE_NAMES.map((name) => [name, new Queue(name, { connection: redis, prefix: options.prefix })]),
  );
  return {
    redis,
    get: (name) => queues.get(name)!,
    all: () => [...queues.values()],
    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      redis.disconnect();
    },
  };
}

export async function countJobs(queue: Queue): Promise<QueueCounts> {
  const counts = await queue.getJobCounts(...COUNTED_STATES);
  return Object.fromEntries(COUNTED_STATES.map((state) => [state, counts[state] ?? 0])) as QueueCounts;
}

export interface FailedJob {
  id: string;
  name: string;
  attemptsMade: number;
  failedReason: string;
  failedAt: string | null;
}

export async function failedJobs(queue: Queue, limit: number): Promise<FailedJob[]> {
  const jobs = (await queue.getFailed(0, limit - 1)) as Job[];
  return jobs.map((job) => ({
    id: job.id ?? '',
    name: job.name,
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  }));
}

/** Moves one failed job back to waiting; NOT_FOUND or NOT_FAILED otherwise. */
export async function retryJob(queue: Queue, jobId: string): Promise<void> {
  const job = await queue.getJob(jobId);
  if (!job) throw new OpsError(`Job ${jobId} not found in ${queue.name}.`, 'NOT_FOUND');
  const state = await job.getState();
  if (state !== 'failed') throw new OpsError(`Job ${jobId} is ${state}, not failed.`, 'NOT_FAILED');
  await job.retry('failed');
}

/** Moves every failed job back to waiting; returns how many there were. */
export async function retryAllFailed(queue: Queue): Promise<number> {
  const failed = await queue.getFailedCount();
  if (failed > 0) await queue.retryJobs({ state: 'failed', count: 1000 });
  return failed;
}
