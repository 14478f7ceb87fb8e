// The settlement queue: a worker processes runs (the job is `settlement.run`,
// relayed from the outbox with `{ runId }`). The database is the source of
// truth: at start and then every `sweepEveryMs`, runs left QUEUED or RUNNING
// (a killed worker, a job given up on stalling) are processed again.
import type { Database } from '@mentoring/db';
import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { unfinishedRuns } from '../db/settlement';
import type { ProviderDirectory } from '../domain/settlement/rules';
import { failSettlementRun, processRun, SETTLEMENT_QUEUE } from '../domain/settlement/settlement';

export interface SettlementWorkerOptions {
  db: Database;
  /** A Redis connection to duplicate (the worker needs its own blocking connection). */
  redis: Redis;
  prefix: string;
  directory: ProviderDirectory;
  holdDays: number;
  throttleMs?: number;
  /** How often unfinished runs are picked up again (default 60 s; 0: only at start). */
  sweepEveryMs?: number;
  /** A run younger than this is left to its job (default 30 s). */
  sweepAfterMs?: number;
  /** Lock held on an active job; a dead worker's job is retried after it lapses (default 30 s). */
  lockDurationMs?: number;
  onError?: (error: unknown) => void;
}

export interface SettlementWorker {
  worker: Worker;
  /** Processes the unfinished runs now. */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

const jobRunId = (job: Job) => String((job.data as { payload?: { runId?: unknown } })?.payload?.runId ?? '');

export async function startSettlementWorker(options: SettlementWorkerOptions): Promise<SettlementWorker> {
  const process = (runId: string) =>
    processRun(options.db, runId, {
      directory: options.directory,
      holdDays: options.holdDays,
      ...(options.throttleMs ? { throttleMs: options.throttleMs } : {}),
    });
  const connection = options.redis.duplicate({ maxRetriesPerRequest: null });
  connection.on('error', () => {});
  const worker = new Worker(SETTLEMENT_QUEUE, async (job) => process(jobRunId(job)), {
    connection,
    prefix: options.prefix,
    concurrency: 2,
    lockDuration: options.lockDurationMs ?? 30_000,
    // The work is idempotent: a job whose worker died is simply run again.
    maxStalledCount: 100,
  });
  worker.on('error', (error) => options.onError?.(error));
  worker.on('failed', (job, error) => {
    options.onError?.(error);
    // Only after the last attempt of the processor itself: the run is FAILED with the reason.
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1))
      void failSettlementRun(options.db, jobRunId(job), error.message).catch(options.onError);
  });

  let sweeping: Promise<void> | undefined;
  const sweep = () => {
    sweeping ??= (async () => {
      try {
        const before = new Date(Date.now() - (options.sweepAfterMs ?? 30_000));
        for (const runId of await unfinishedRuns(options.db, before)) await process(runId);
      } catch (error) {
        options.onError?.(error);
      } finally {
        sweeping = undefined;
      }
    })();
    return sweeping;
  };
  void sweep();
  const every = options.sweepEveryMs ?? 60_000;
  const timer = every > 0 ? setInterval(() => void sweep(), every) : undefined;
  timer?.unref();
  return {
    worker,
    sweep,
    async close() {
      if (timer) clearInterval(timer);
      await worker.close();
      await sweeping;
      connection.disconnect();
    },
  };
}

/** identity's getOrganizations, 500 ids per call. */
export function identityDirectory(
  lookup: (
    ids: string[],
  ) => Promise<{ id: string; communityId: string; kind: string; name: string; iban: string | null }[]>,
): ProviderDirectory {
  return async (ids) => {
    const out = [];
    for (let i = 0; i < ids.length; i += 500) out.push(...(await lookup(ids.slice(i, i + 500))));
    return out;
  };
}
