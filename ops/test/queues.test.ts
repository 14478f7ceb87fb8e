import { testRedis } from '@mentoring/testing';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runInProcess } from './helpers';

const { redisUrl, prefix } = testRedis('ops_queues');
const env = { REDIS_URL: redisUrl, REDIS_PREFIX: prefix };
let connection: Redis;
let settlement: Queue;
let failedIds: string[];

/** Two settlement jobs that fail once and for all, two notifications waiting, one delayed maintenance job. */
beforeAll(async () => {
  connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const notifications = new Queue('notifications', { connection, prefix });
  await notifications.addBulk([
    { name: 'grant.issued', data: {} },
    { name: 'grant.claimed', data: {} },
  ]);
  await new Queue('funds-maintenance', { connection, prefix }).add('grant-expiry', {}, { delay: 60_000 });
  settlement = new Queue('settlement', { connection, prefix });
  const jobs = await settlement.addBulk([
    { name: 'settle', data: { runId: 'r1' }, opts: { attempts: 1 } },
    { name: 'settle', data: { runId: 'r2' }, opts: { attempts: 1 } },
  ]);
  failedIds = jobs.map((job) => job.id!);
  const worker = new Worker(
    'settlement',
    async () => {
      throw new Error('provider has no IBAN');
    },
    { connection: connection.duplicate(), prefix },
  );
  await new Promise<void>((resolve) => {
    let failed = 0;
    worker.on('failed', () => ++failed === 2 && resolve());
  });
  await worker.close();
});
afterAll(() => connection?.quit());

const countsOf = async () =>
  JSON.parse((await runInProcess(['queues', '--json'], env)).stdout) as Array<Record<string, unknown>>;

describe('npm run ops -- queues', () => {
  it('counts the jobs of every queue by state', async () => {
    const result = await runCli(['queues', '--json'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { queue: 'notifications', waiting: 2, active: 0, delayed: 0, completed: 0, failed: 0 },
      { queue: 'settlement', waiting: 0, active: 0, delayed: 0, completed: 0, failed: 2 },
      { queue: 'funds-maintenance', waiting: 0, active: 0, delayed: 1, completed: 0, failed: 0 },
      { queue: 'redemption-maintenance', waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 },
    ]);
  });

  it('prints the counts as a table for people', async () => {
    const { stdout } = await runInProcess(['queues'], env);
    expect(stdout).toMatch(/queue\s+waiting\s+active\s+delayed\s+completed\s+failed/);
    expect(stdout).toMatch(/settlement\s+0\s+0\s+0\s+0\s+2/);
  });

  it('lists failed jobs with the reason they failed', async () => {
    const { code, stdout } = await runInProcess(['queues', 'failed', 'settlement'], env);
    expect(code).toBe(0);
    expect(stdout).toContain('provider has no IBAN');
    for (const id of failedIds) expect(stdout).toContain(id);
  });

  it('puts one failed job back to waiting, then all the others', async () => {
    const one = await runInProcess(['queues', 'retry', 'settlement', failedIds[0]!], env);
    expect(one).toMatchObject({ code: 0, stdout: expect.stringContaining('waiting again') });
    expect((await countsOf())[1]).toMatchObject({ waiting: 1, failed: 1 });

    const all = await runInProcess(['queues', 'retry', 'settlement', '--all'], env);
    expect(all.stdout).toContain('1 failed job(s) of settlement are waiting again');
    expect((await countsOf())[1]).toMatchObject({ waiting: 2, failed: 0 });
  });

  it('refuses to retry a job that has not failed', async () => {
    const waiting = await runInProcess(['queues', 'retry', 'settlement', failedIds[0]!], env);
    expect(waiting.code).toBe(1);
    expect(waiting.stderr).toContain('[NOT_FAILED]');
  });

  it('exits 2 for an unknown queue or a retry without a target', async () => {
    const unknown = await runInProcess(['queues', 'failed', 'emails'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown queue "emails"');
    expect((await runInProcess(['queues', 'retry', 'settlement'], env)).code).toBe(2);
  });
});
