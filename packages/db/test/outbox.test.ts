import { createTestDatabase, testRedis, waitFor } from '@mentoring/testing';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, migrate, openPostgres, startOutboxRelay, writeEvent } from '../src';

let db: Database;
const { redisUrl, prefix } = testRedis('outbox');
const connections: Redis[] = [];
const redis = () => {
  const r = new Redis(redisUrl, { maxRetriesPerRequest: null });
  connections.push(r);
  return r;
};

beforeAll(async () => {
  db = openPostgres({ service: 'outbox-test', url: await createTestDatabase('outbox') });
  await migrate(db, [
    { name: '0001_things', sql: 'CREATE TABLE things (id serial PRIMARY KEY, name text NOT NULL);' },
  ]);
});
afterAll(async () => {
  await db.close();
  for (const c of connections) c.disconnect();
});

describe('migrations', () => {
  it('two processes migrating a fresh database at once both succeed', async () => {
    const url = await createTestDatabase('migrate_race');
    const a = openPostgres({ service: 'a', url });
    const b = openPostgres({ service: 'b', url });
    const migrations = [{ name: '0001_things', sql: 'CREATE TABLE things (id int);' }];
    const results = await Promise.all([migrate(a, migrations), migrate(b, migrations)]);
    await Promise.all([a.close(), b.close()]);
    expect(results.flat().sort()).toEqual(['0000_platform_outbox', '0001_things']);
  });

  it('apply each migration once, even when run again', async () => {
    const again = await migrate(db, [{ name: '0001_things', sql: 'CREATE TABLE things (id int);' }]);
    expect(again).toEqual([]);
    const rows = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual(['0000_platform_outbox', '0001_things']);
  });
});

describe('transactional outbox', () => {
  it('an event written in a rolled-back transaction never leaves the outbox', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO things (name) VALUES ('ghost')");
        await writeEvent(tx, { queue: 'rollback', type: 'thing.created', payload: { name: 'ghost' } });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const [{ count }] = (await db.query<{ count: string }>('SELECT count(*) FROM outbox')) as [
      { count: string },
    ];
    expect(Number(count)).toBe(0);
  });

  it('relays committed events to BullMQ with the event id as job id, each once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      ids.push(
        await db.transaction(async (tx) => {
          await tx.query('INSERT INTO things (name) VALUES ($1)', [`t${i}`]);
          return writeEvent(tx, { queue: 'things', type: 'thing.created', payload: { i } });
        }),
      );
    }
    // Two relays compete for the same rows: SKIP LOCKED keeps them apart.
    const relays = [0, 1].map(() => startOutboxRelay({ db, connection: redis(), prefix, idleMs: 20 }));
    const seen: string[] = [];
    const worker = new Worker(
      'things',
      async (job) => {
        seen.push(job.data.id);
        expect(job.id).toBe(job.data.id);
      },
      { connection: redis(), prefix },
    );
    await waitFor(() => seen.length >= 25, { what: '25 events' });
    await Promise.all(relays.map((r) => r.stop()));
    await worker.close();
    expect([...seen].sort()).toEqual([...ids].sort());
    const unpublished = await db.query('SELECT id FROM outbox WHERE published_at IS NULL');
    expect(unpublished).toHaveLength(0);
  });

  it('keeps events while Redis is unreachable and delivers them once it is back', async () => {
    // A connection to a port where nothing listens stands for a Redis outage.
    const dead = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => 1000,
    });
    dead.on('error', () => {});
    connections.push(dead);
    const id = await db.transaction((tx) =>
      writeEvent(tx, { queue: 'outage', type: 'thing.created', payload: { during: 'outage' } }),
    );
    const down = startOutboxRelay({
      db,
      connection: dead,
      prefix,
      idleMs: 20,
      maxBackoffMs: 50,
      publishTimeoutMs: 100,
    });
    await new Promise((r) => setTimeout(r, 300));
    await down.stop();
    const [row] = await db.query<{ published_at: Date | null }>(
      'SELECT published_at FROM outbox WHERE id = $1',
      [id],
    );
    expect(row?.published_at).toBeNull();

    const up = startOutboxRelay({ db, connection: redis(), prefix, idleMs: 20 });
    const queue = new Queue('outage', { connection: redis(), prefix });
    const job = await waitFor(() => queue.getJob(id), { what: 'the job after the outage' });
    await up.stop();
    await queue.close();
    expect(job.data.payload).toEqual({ during: 'outage' });
  });
});
