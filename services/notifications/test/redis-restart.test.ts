import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort, waitFor } from '@mentoring/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { directory } from './helpers/fixtures';
import { publish, settle, startNotifications, startProducer, startRelay } from './helpers/harness';
import { directoryOf } from './helpers/identity';
import { startSmtpServer } from './helpers/smtp';

// A private Redis this file may stop and start; the shared one is never touched.
const port = await freePort();
const redisUrl = `redis://127.0.0.1:${port}`;
let redis: ChildProcess | undefined;

async function startRedis() {
  redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const probe = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  try {
    await waitFor(
      async () => {
        await probe.connect().catch(() => {});
        return (await probe.ping()) === 'PONG';
      },
      { what: 'private redis-server', timeoutMs: 5000 },
    );
  } finally {
    probe.disconnect();
  }
}

async function stopRedis() {
  const child = redis;
  redis = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

await startRedis();
afterAll(stopRedis);

const prefix = 'mentoring-test';
const smtp = await startSmtpServer();
afterAll(() => smtp.stop());
const notifications = await startNotifications({
  label: 'notifications_redis',
  redisUrl,
  redisPrefix: prefix,
  smtpUrl: smtp.url,
  recipients: directoryOf(directory),
});
const producer = await startProducer('notifications_redis_producer');
startRelay(producer, redisUrl, prefix);

const confirmed = (n: number) => ({
  redemptionId: `red-${n}`,
  holderUserId: 'user-giulia',
  offeringTitle: `Corso ${n}`,
  amountCents: 1000 * n,
});
const mailsOf = (eventId: string) =>
  smtp.received.filter((m) => m.headers.get('x-mentoring-event-id') === eventId);
const unpublished = async () =>
  Number(
    (await producer.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL'))[0]
      ?.n,
  );

describe('Redis restart', () => {
  it('delivers events written while Redis was down, each exactly once, once Redis is back', async () => {
    const before = await publish(producer, 'redemption.confirmed', confirmed(1));
    await waitFor(() => mailsOf(before).length === 1, { what: 'the first message' });

    await stopRedis();
    const during: string[] = [];
    for (const n of [2, 3, 4, 5]) during.push(await publish(producer, 'redemption.confirmed', confirmed(n)));
    await settle(800);
    // The relay could not publish: the events wait in the outbox.
    expect(await unpublished()).toBe(4);
    expect(smtp.received).toHaveLength(1);

    await startRedis(); // empty: nothing survived in Redis
    await waitFor(async () => during.every((id) => mailsOf(id).length === 1), {
      what: 'every message after the restart',
      timeoutMs: 20_000,
    });
    await settle(500);
    expect(await unpublished()).toBe(0);
    for (const id of [before, ...during]) expect(mailsOf(id), id).toHaveLength(1);
    expect(smtp.received).toHaveLength(5);
    expect(
      (
        await notifications.db.query<{ n: string }>(
          "SELECT count(*) AS n FROM deliveries WHERE status = 'sent'",
        )
      )[0]?.n,
    ).toBe('5');
  });
});
