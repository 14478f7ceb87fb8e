import { join } from 'node:path';
import { type Database, openPglite, openPostgres } from './database';
import { ensureDatabase, serviceDatabaseUrl } from './provision';

export interface ServiceDatabaseOptions {
  service: string;
  /** `DATABASE_URL`: the server and base name; the service's own database is derived from it. */
  databaseUrl?: string | undefined;
  /** A URL naming the exact database to use (tests). Wins over `databaseUrl`. */
  exactUrl?: string | undefined;
  /** Where PGlite keeps its files when no server is configured. */
  dataDir?: string | undefined;
  poolSize?: number;
}

/**
 * Opens the service's own database: `<base>_<service>` on the configured
 * PostgreSQL server (created if missing), or an embedded PGlite under
 * `<dataDir>/<service>` when no server is configured.
 */
export async function openServiceDatabase(options: ServiceDatabaseOptions): Promise<Database> {
  const { service } = options;
  const url =
    options.exactUrl ?? (options.databaseUrl ? serviceDatabaseUrl(options.databaseUrl, service) : undefined);
  if (!url) return openPglite({ service, dataDir: join(options.dataDir ?? '.data', service) });
  await ensureDatabase(url);
  return openPostgres({ service, url, ...(options.poolSize ? { max: options.poolSize } : {}) });
}
