import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSubgraph, openRuntime, type Subgraph } from '@mentoring/subgraph-kit';
import type { RedemptionContext } from './context';
import { resolvers } from './resolvers';

// Resolved from the package root so it works from src/ (tsx, tests) and dist/ (built).
const sourceFile = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

export interface RedemptionOptions {
  databaseUrl?: string | undefined;
  exactDatabaseUrl?: string | undefined;
  dataDir?: string | undefined;
  redisUrl: string;
  production?: boolean;
}

/** Builds the redemption subgraph: migrated database, Redis, GraphQL. Call `listen` to serve. */
export async function createRedemption(options: RedemptionOptions): Promise<Subgraph> {
  const runtime = await openRuntime({
    service: 'redemption',
    migrationsDir: sourceFile('db/migrations'),
    databaseUrl: options.databaseUrl,
    exactDatabaseUrl: options.exactDatabaseUrl,
    dataDir: options.dataDir,
    redisUrl: options.redisUrl,
  });
  return createSubgraph<RedemptionContext>({
    name: 'redemption',
    typeDefs: readFileSync(sourceFile('schema.graphql'), 'utf8'),
    resolvers,
    context: (base) => ({ ...base, db: runtime.db }),
    readiness: runtime.readiness,
    ...(options.production !== undefined ? { production: options.production } : {}),
    onClose: () => runtime.close(),
  });
}
