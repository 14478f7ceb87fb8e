import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startOutboxRelay } from '@mentoring/db';
import {
  createServiceTokens,
  createSubgraph,
  createTokenVerifier,
  openRuntime,
  type Subgraph,
  type TokenVerifier,
} from '@mentoring/subgraph-kit';
import type { FundsContext } from './context';
import { internalRoutes } from './internal';
import { resolvers } from './resolvers';

// Resolved from the package root so it works from src/ (tsx, tests) and dist/ (built).
const sourceFile = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

export const migrationsDir = () => sourceFile('db/migrations');

export interface FundsOptions {
  databaseUrl?: string | undefined;
  exactDatabaseUrl?: string | undefined;
  dataDir?: string | undefined;
  redisUrl: string;
  /** BullMQ key prefix for the events the outbox relay publishes. */
  redisPrefix?: string | undefined;
  /** Signs and verifies internal calls (≥ 32 characters). */
  serviceTokenSecret: string;
  /** Verifies access tokens; default: identity's keys at `jwksUrl`. */
  verifyToken?: TokenVerifier;
  jwksUrl?: string | undefined;
  /** Moves outbox events to BullMQ from this process (default true). */
  outboxRelay?: boolean;
  poolSize?: number;
  production?: boolean;
}

/** Builds the funds subgraph: migrated database, Redis, GraphQL, internal API, outbox relay. */
export async function createFunds(options: FundsOptions): Promise<Subgraph> {
  const tokens = createServiceTokens(options.serviceTokenSecret, 'funds');
  const verifyToken =
    options.verifyToken ??
    createTokenVerifier({ jwksUrl: options.jwksUrl ?? 'http://127.0.0.1:4001/.well-known/jwks.json' });
  const runtime = await openRuntime({
    service: 'funds',
    migrationsDir: migrationsDir(),
    databaseUrl: options.databaseUrl,
    exactDatabaseUrl: options.exactDatabaseUrl,
    dataDir: options.dataDir,
    redisUrl: options.redisUrl,
    ...(options.poolSize ? { poolSize: options.poolSize } : {}),
  });
  const relayConnection = options.outboxRelay === false ? undefined : runtime.redis.duplicate();
  relayConnection?.on('error', () => {});
  const relay = relayConnection
    ? startOutboxRelay({
        db: runtime.db,
        connection: relayConnection,
        prefix: options.redisPrefix ?? 'mentoring',
      })
    : undefined;
  const subgraph = await createSubgraph<FundsContext>({
    name: 'funds',
    typeDefs: readFileSync(sourceFile('schema.graphql'), 'utf8'),
    resolvers,
    verifyToken,
    context: (base) => ({ ...base, db: runtime.db }),
    readiness: runtime.readiness,
    internal: { tokens, routes: internalRoutes(runtime.db) },
    ...(options.production !== undefined ? { production: options.production } : {}),
    onClose: async () => {
      await relay?.stop();
      relayConnection?.disconnect();
      await runtime.close();
    },
  });
  return subgraph;
}
