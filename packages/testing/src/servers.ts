import { Redis } from 'ioredis';
import pg from 'pg';

/** Where the tests' PostgreSQL and Redis are, and who provided them. */
export interface TestServers {
  postgresUrl: string;
  redisUrl: string;
  source: { postgres: string; redis: string };
  stop(): Promise<void>;
}

const LOCAL_POSTGRES = [
  'postgres://postgres@127.0.0.1:5432/postgres',
  'postgres://root@127.0.0.1:5432/postgres',
];
const LOCAL_REDIS = 'redis://127.0.0.1:6379';

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds a PostgreSQL and a Redis for the test run, in this order:
 * `TEST_DATABASE_URL` / `TEST_REDIS_URL`; containers when a Docker engine
 * answers; the local servers on their default ports. Fails with a message
 * that says how to provide one.
 */
export async function findTestServers(): Promise<TestServers> {
  const stops: Array<() => Promise<unknown>> = [];
  let postgresUrl = process.env.TEST_DATABASE_URL;
  let redisUrl = process.env.TEST_REDIS_URL;
  const source = { postgres: 'TEST_DATABASE_URL', redis: 'TEST_REDIS_URL' };
  const docker = (!postgresUrl || !redisUrl) && (await dockerAnswers());

  if (!postgresUrl && docker) {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer('postgres:16-alpine')
      .withEnvironment({ POSTGRES_PASSWORD: 'test', POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start();
    stops.push(() => container.stop());
    postgresUrl = `postgres://postgres:test@${container.getHost()}:${container.getMappedPort(5432)}/postgres`;
    source.postgres = 'container';
  }
  if (!postgresUrl) {
    for (const candidate of LOCAL_POSTGRES) {
      if (await postgresAnswers(candidate)) {
        postgresUrl = candidate;
        source.postgres = 'local server';
        break;
      }
    }
  }
  if (!redisUrl && docker) {
    const { GenericContainer } = await import('testcontainers');
    const container = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
    stops.push(() => container.stop());
    redisUrl = `redis://${container.getHost()}:${container.getMappedPort(6379)}`;
    source.redis = 'container';
  }
  if (!redisUrl && (await redisAnswers(LOCAL_REDIS))) {
    redisUrl = LOCAL_REDIS;
    source.redis = 'local server';
  }

  const missing: string[] = [];
  if (!postgresUrl)
    missing.push(
      'PostgreSQL: set TEST_DATABASE_URL (a superuser URL), start a Docker engine, or run PostgreSQL on 127.0.0.1:5432 with trust auth',
    );
  if (!redisUrl)
    missing.push('Redis: set TEST_REDIS_URL, start a Docker engine, or run Redis on 127.0.0.1:6379');
  if (missing.length > 0) {
    await Promise.all(stops.map((s) => s()));
    throw new Error(`The tests need real servers and found none for:\n  - ${missing.join('\n  - ')}`);
  }
  return {
    postgresUrl: postgresUrl!,
    redisUrl: redisUrl!,
    source,
    stop: async () => void (await Promise.all(stops.map((s) => s()))),
  };
}
