import { parseCommand } from '../args';
import type { OpsContext } from '../context';
import { EXIT, UsageError } from '../errors';
import { formatTable } from '../output';
import {
  COUNTED_STATES,
  countJobs,
  failedJobs,
  openQueues,
  type Queues,
  queueName,
  retryAllFailed,
  retryJob,
} from '../queues';

export const queuesUsage = [
  'queues [--json]   (waiting/active/delayed/completed/failed per queue)',
  'queues failed <queue> [--limit N] [--json]',
  'queues retry <queue> (--all | <jobId>)',
];

async function withQueues<T>(ctx: OpsContext, use: (queues: Queues) => Promise<T>): Promise<T> {
  const queues = await openQueues({ redisUrl: ctx.redisUrl, prefix: ctx.redisPrefix });
  try {
    return await use(queues);
  } finally {
    await queues.close();
  }
}

export async function queueCounts(args: string[], ctx: OpsContext): Promise<number> {
  parseCommand(args, {});
  const counts = await withQueues(ctx, async (queues) =>
    Promise.all(queues.all().map(async (queue) => ({ queue: queue.name, ...(await countJobs(queue)) }))),
  );
  if (ctx.json) ctx.out.json(counts);
  else {
    const rows = counts.map((c) => [c.queue, ...COUNTED_STATES.map((state) => String(c[state]))]);
    ctx.out.line(formatTable(['queue', ...COUNTED_STATES], rows, [1, 2, 3, 4, 5]));
  }
  return EXIT.ok;
}

export async function listFailed(args: string[], ctx: OpsContext): Promise<number> {
  const { values, positionals } = parseCommand(args, { limit: { type: 'string' } }, ['queue']);
  const name = queueName(positionals[0]);
  const limit = Number(values.limit ?? 50);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a whole number ≥ 1');
  const jobs = await withQueues(ctx, (queues) => failedJobs(queues.get(name), limit));
  if (ctx.json) ctx.out.json(jobs);
  else if (jobs.length === 0) ctx.out.line(`No failed jobs in ${name}.`);
  else
    ctx.out.line(
      formatTable(
        ['job', 'name', 'attempts', 'failed at', 'reason'],
        jobs.map((job) => [job.id, job.name, String(job.attemptsMade), job.failedAt ?? '', job.failedReason]),
        [2],
      ),
    );
  return EXIT.ok;
}

export async function retryFailed(args: string[], ctx: OpsContext): Promise<number> {
  const { values, positionals } = parseCommand(args, { all: { type: 'boolean' } }, ['queue', 'jobId?']);
  const [queueArg, jobId] = positionals;
  const name = queueName(queueArg);
  if (!!values.all === !!jobId) throw new UsageError('Give either --all or one <jobId>');
  await withQueues(ctx, async (queues) => {
    const queue = queues.get(name);
    if (jobId) {
      await retryJob(queue, jobId);
      ctx.out.line(`Job ${jobId} of ${name} is waiting again.`);
    } else ctx.out.line(`${await retryAllFailed(queue)} failed job(s) of ${name} are waiting again.`);
  });
  return EXIT.ok;
}
