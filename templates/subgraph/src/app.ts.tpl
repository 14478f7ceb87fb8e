import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSubgraph, openRuntime, type Subgraph, type TokenVerifier } from '@mentoring/subgraph-kit';
import type { {{Pascal}}Context } from './context';
import { resolvers } from './resolvers';

// Resolved from the package root so it works from src/ (tsx, tests) and dist/ (built).
const sourceFile = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

export interface {{Pascal}}Options {
  databaseUrl?: string | undefined;
  exactDatabaseUrl?: string | undefined;
  dataDir?: string | undefined;
  redisUrl: string;
  production?: boolean;
  /** Verifies users' access tokens (identity's JWKS); without it any Authorization header is refused. */
  verifyToken?: TokenVerifier;
}

/** Builds the {{name}} subgraph on its own database. Call `listen` to serve. */
export async function create{{Pascal}}(options: {{Pascal}}Options): Promise<Subgraph> {
  const runtime = await openRuntime({
    service: '{{service}}',
    migrationsDir: sourceFile('db/migrations'),
    databaseUrl: options.databaseUrl,
    exactDatabaseUrl: options.exactDatabaseUrl,
    dataDir: options.dataDir,
    redisUrl: options.redisUrl,
  });
  return createSubgraph<{{Pascal}}Context>({
    name: '{{service}}',
    typeDefs: readFileSync(sourceFile('schema.graphql'), 'utf8'),
    resolvers,
    ...(options.verifyToken ? { verifyToken: options.verifyToken } : {}),
    context: (base) => ({ ...base, db: runtime.db }),
    readiness: runtime.readiness,
    ...(options.production !== undefined ? { production: options.production } : {}),
    onClose: () => runtime.close(),
  });
}
