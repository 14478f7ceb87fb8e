import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createServiceTokens,
  createSubgraph,
  openRuntime,
  type Subgraph,
  type TokenVerifier,
} from '@mentoring/subgraph-kit';
import type { CatalogContext } from './context';
import { identityProviderLookup, type ProviderLookup } from './identity';
import { catalogRoutes } from './internal/routes';
import { resolvers } from './resolvers';

// Resolved from the package root so it works from src/ (tsx, tests) and dist/ (built).
const sourceFile = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

export interface CatalogOptions {
  databaseUrl?: string | undefined;
  exactDatabaseUrl?: string | undefined;
  dataDir?: string | undefined;
  redisUrl: string;
  production?: boolean;
  /** Signs calls to other services and verifies calls to catalog's internal API. */
  serviceTokenSecret: string;
  /** Verifies users' access tokens (identity's JWKS); without it any Authorization header is refused. */
  verifyToken?: TokenVerifier;
  /** Identity's base URL, for the organization lookup (default http://127.0.0.1:4001). */
  identityUrl?: string;
  /** Replaces the lookup through identity's internal API (tests, which run catalog alone). */
  lookupProvider?: ProviderLookup;
}

/** Builds the catalog subgraph: migrated database, Redis, GraphQL and internal API. Call `listen` to serve. */
export async function createCatalog(options: CatalogOptions): Promise<Subgraph> {
  const tokens = createServiceTokens(options.serviceTokenSecret, 'catalog');
  const lookupProvider =
    options.lookupProvider ??
    identityProviderLookup({ identityUrl: options.identityUrl ?? 'http://127.0.0.1:4001', tokens });
  const runtime = await openRuntime({
    service: 'catalog',
    migrationsDir: sourceFile('db/migrations'),
    databaseUrl: options.databaseUrl,
    exactDatabaseUrl: options.exactDatabaseUrl,
    dataDir: options.dataDir,
    redisUrl: options.redisUrl,
  });
  return createSubgraph<CatalogContext>({
    name: 'catalog',
    typeDefs: readFileSync(sourceFile('schema.graphql'), 'utf8'),
    resolvers,
    ...(options.verifyToken ? { verifyToken: options.verifyToken } : {}),
    context: (base) => ({ ...base, db: runtime.db, lookupProvider }),
    readiness: runtime.readiness,
    internal: { tokens, routes: catalogRoutes(runtime.db) },
    ...(options.production !== undefined ? { production: options.production } : {}),
    onClose: () => runtime.close(),
  });
}
