import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createServiceTokens,
  createSubgraph,
  openRuntime,
  type Subgraph,
  type TokenVerifier,
} from '@mentoring/subgraph-kit';
import { catalogOfferingLookup, type OfferingLookup } from './catalog';
import type { SportContext } from './context';
import { resolvers } from './resolvers';

// Resolved from the package root so it works from src/ (tsx, tests) and dist/ (built).
const sourceFile = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

export interface SportOptions {
  databaseUrl?: string | undefined;
  exactDatabaseUrl?: string | undefined;
  dataDir?: string | undefined;
  redisUrl: string;
  production?: boolean;
  /** Signs sport's calls to catalog's internal API. */
  serviceTokenSecret: string;
  /** Verifies users' access tokens (identity's JWKS); without it any Authorization header is refused. */
  verifyToken?: TokenVerifier;
  /** Catalog's base URL, for the offering lookup (default http://127.0.0.1:4003). */
  catalogUrl?: string;
  /** Replaces the lookup through catalog's internal API (tests, which run sport alone). */
  lookupOffering?: OfferingLookup;
}

/** Builds the sport partner subgraph on its own database. Call `listen` to serve. */
export async function createSport(options: SportOptions): Promise<Subgraph> {
  const tokens = createServiceTokens(options.serviceTokenSecret, 'sport');
  const lookupOffering =
    options.lookupOffering ??
    catalogOfferingLookup({ catalogUrl: options.catalogUrl ?? 'http://127.0.0.1:4003', tokens });
  const runtime = await openRuntime({
    service: 'sport',
    migrationsDir: sourceFile('db/migrations'),
    databaseUrl: options.databaseUrl,
    exactDatabaseUrl: options.exactDatabaseUrl,
    dataDir: options.dataDir,
    redisUrl: options.redisUrl,
  });
  return createSubgraph<SportContext>({
    name: 'sport',
    typeDefs: readFileSync(sourceFile('schema.graphql'), 'utf8'),
    resolvers,
    ...(options.verifyToken ? { verifyToken: options.verifyToken } : {}),
    context: (base) => ({ ...base, db: runtime.db, lookupOffering }),
    readiness: runtime.readiness,
    ...(options.production !== undefined ? { production: options.production } : {}),
    onClose: () => runtime.close(),
  });
}
