import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './database';
import { OUTBOX_MIGRATION } from './outbox';

export interface Migration {
  name: string;
  sql: string;
}

/** Reads `NNNN_name.sql` files from a folder, in order. */
export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ name: f.replace(/\.sql$/, ''), sql: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * Applies the platform's own migrations (the outbox) and then the service's,
 * each once, each in its own transaction. Concurrent starts of the same
 * service wait for each other on an advisory lock.
 */
export async function migrate(db: Database, migrations: Migration[]): Promise<string[]> {
  const all = [OUTBOX_MIGRATION, ...migrations];
  await db.transaction(async (tx) => {
    // Under the same lock as the migrations: two processes starting on a fresh database race here too.
    await tx.query('SELECT pg_advisory_xact_lock(727001)');
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
  });
  const applied: string[] = [];
  for (const migration of all) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(727001)');
      const rows = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [migration.name]);
      if (rows.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [migration.name]);
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}
