import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';

/** A Drizzle handle that works the same on node-postgres and PGlite. */
export type Drizzle = PgDatabase<PgQueryResultHKT>;

/** What a query or a transaction body gets: raw SQL with parameters, and Drizzle. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs a multi-statement script without parameters (migrations). */
  exec(script: string): Promise<void>;
  readonly drizzle: Drizzle;
}

export interface Database extends Sql {
  readonly service: string;
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction; retried on serialization failures and deadlocks. */
  transaction<T>(
    fn: (tx: Sql) => Promise<T>,
    options?: { isolation?: 'read committed' | 'serializable' },
  ): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const RETRYABLE = new Set(['40001', '40P01']);
const MAX_TX_ATTEMPTS = 10;

async function withRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || attempt >= MAX_TX_ATTEMPTS) throw error;
      // Jittered, growing back-off: hot rows (one grant, one seat counter) see many retries at once.
      await new Promise((r) => setTimeout(r, Math.random() * 5 * 2 ** Math.min(attempt, 6)));
    }
  }
}

export interface PostgresOptions {
  service: string;
  url: string;
  /** Connections in the pool (default 10). */
  max?: number;
}

export function openPostgres({ service, url, max = 10 }: PostgresOptions): Database {
  const pool = new pg.Pool({ connectionString: url, max, application_name: `mentoring-${service}` });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => {});
  const drizzle = drizzlePg(pool) as unknown as Drizzle;
  const query = async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[];
  return {
    service,
    kind: 'postgres',
    drizzle,
    query,
    async transaction(fn, options) {
      return withRetry(async () => {
        const client = await pool.connect();
        try {
          await client.query(
            options?.isolation === 'serializable' ? 'BEGIN ISOLATION LEVEL SERIALIZABLE' : 'BEGIN',
          );
          const tx: Sql = {
            drizzle: drizzlePg(client) as unknown as Drizzle,
            query: async <T>(text: string, params?: unknown[]) =>
              (await client.query(text, params)).rows as T[],
            exec: async (script: string) => void (await client.query(script)),
          };
          const result = await fn(tx);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        } finally {
          client.release();
        }
      });
    },
    async exec(script) {
      await pool.query(script);
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * Embedded PostgreSQL (PGlite) for running the platform without a server.
 * PGlite has one connection, so every statement and transaction is serialized.
 */
export async function openPglite({
  service,
  dataDir,
}: {
  service: string;
  dataDir?: string;
}): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lite = await PGlite.create(dataDir);
  const drizzle = drizzlePglite(lite) as unknown as Drizzle;
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run, run);
    queue = next.catch(() => {});
    return next;
  };
  const rawQuery = async <T>(text: string, params?: unknown[]) =>
    (await lite.query(text, params as unknown[])).rows as T[];
  return {
    service,
    kind: 'pglite',
    drizzle,
    query: (text, params) => serialized(() => rawQuery(text, params)),
    transaction(fn) {
      return serialized(async () => {
        await lite.exec('BEGIN');
        try {
          const result = await fn({
            drizzle,
            query: rawQuery,
            exec: async (script) => void (await lite.exec(script)),
          });
          await lite.exec('COMMIT');
          return result;
        } catch (error) {
          await lite.exec('ROLLBACK').catch(() => {});
          throw error;
        }
      });
    },
    exec: (script) => serialized(async () => void (await lite.exec(script))),
    ping: () => serialized(async () => void (await lite.query('SELECT 1'))),
    close: () => serialized(() => lite.close()),
  };
}
