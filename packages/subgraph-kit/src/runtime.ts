import { type Database, migrate, openServiceDatabase, readMigrations } from '@mentoring/db';
import { Redis } from 'ioredis';

export interface RuntimeOptions {
  service: string;
  /** Folder of the service's `NNNN_name.sql` migrations. */
  migrationsDir: string;
  databaseUrl?: string | undefined;
  /** The exact database to use (tests); wins over `databaseUrl`. */
  exactDatabaseUrl?: string | undefined;
  dataDir?: string | undefined;
  redisUrl: string;
  poolSize?: number;
}

export interface Runtime {
  db: Database;
  /** A general-purpose connection (rate limits, caches); queues open their own. */
  redis: Redis;
  readiness: Record<string, () => Promise<unknown>>;
  close(): Promise<void>;
}

/** Connects to Redis or fails with a message saying where it looked. */
export async function connectRedis(url: string, name: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectionName: `mentoring-${name}`,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `Redis is not reachable at ${url} (${(error as Error).message}). Start Redis or set REDIS_URL.`,
    );
  }
  return redis;
}

/** Opens the service's database (migrated) and Redis, with readiness checks for both. */
export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const redis = await connectRedis(options.redisUrl, options.service);
  const db = await openServiceDatabase({
    service: options.service,
    databaseUrl: options.databaseUrl,
    exactUrl: options.exactDatabaseUrl,
    dataDir: options.dataDir,
    ...(options.poolSize ? { poolSize: options.poolSize } : {}),
  }).catch((error) => {
    redis.disconnect();
    throw error;
  });
  await migrate(db, readMigrations(options.migrationsDir));
  return {
    db,
    redis,
    readiness: {
      database: () => db.ping(),
      redis: () => redis.ping(),
    },
    async close() {
      await db.close();
      redis.disconnect();
    },
  };
}
