import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startOutboxRelay } from '@mentoring/db';
import { createInternalClient } from '@mentoring/internal-api';
import {
  createServiceTokens,
  createSubgraph,
  createTokenVerifier,
  openRuntime,
  type Subgraph,
  type TokenVerifier,
} from '@mentoring/subgraph-kit';
import type { RedemptionContext } from './context';
import type { RedemptionDeps } from './domain/deps';
import { expireDue, type RecoveryReport, recoverStale } from './domain/maintenance';
import { redisCodeAttempts } from './domain/rate-limit';
import { startMaintenance } from './jobs/maintenance';
import { resolvers } from './resolvers';

// Resolved from the package root so it works from src/ (tsx, tests) and dist/ (built).
const sourceFile = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

const DAY = 86_400_000;
/** `http://host:4002/graphql` → `http://host:4002`. */
const origin = (url: string) => new URL(url).origin;

export interface RedemptionOptions {
  databaseUrl?: string | undefined;
  exactDatabaseUrl?: string | undefined;
  dataDir?: string | undefined;
  redisUrl: string;
  /** Prefix of this deployment's Redis keys: BullMQ queues (events, maintenance) and rate limits. */
  redisPrefix?: string | undefined;
  /** Signs internal calls to identity, funds and catalog (≥ 32 characters). */
  serviceTokenSecret: string;
  /** Verifies access tokens; default: identity's keys at `jwksUrl`. */
  verifyToken?: TokenVerifier;
  jwksUrl?: string | undefined;
  /** Peers' base URLs (a `/graphql` path is ignored). Defaults: ports 4001, 4002, 4003 on 127.0.0.1. */
  identityUrl?: string | undefined;
  fundsUrl?: string | undefined;
  catalogUrl?: string | undefined;
  /** How long an authorization waits for validation (default 30 days). */
  authTtlMs?: number;
  /** How often recovery and expiry run (default 30 s). */
  maintenanceEveryMs?: number;
  /** A redemption or step unfinished for this long is taken over by recovery (default 60 s). */
  recoverAfterMs?: number;
  /** Timeout of one internal call (default 10 s; keep it well below `recoverAfterMs`). */
  callTimeoutMs?: number;
  /** Runs the maintenance job scheduler in this process (default true; tests pass false). */
  jobs?: boolean;
  /** Moves outbox events to BullMQ from this process (default true). */
  outboxRelay?: boolean;
  poolSize?: number;
  production?: boolean;
}

/** The subgraph, plus the maintenance steps its jobs run (for tests and scripts). */
export interface RedemptionSubgraph extends Subgraph {
  maintenance: {
    recoverStale(options?: { staleMs?: number }): Promise<RecoveryReport>;
    expireDue(options?: { now?: Date }): Promise<number>;
  };
}

/** Builds the redemption subgraph: migrated database, Redis, GraphQL, outbox relay, maintenance jobs. */
export async function createRedemption(options: RedemptionOptions): Promise<RedemptionSubgraph> {
  const prefix = options.redisPrefix ?? 'mentoring';
  const tokens = createServiceTokens(options.serviceTokenSecret, 'redemption');
  const identityUrl = origin(options.identityUrl ?? 'http://127.0.0.1:4001');
  const verifyToken =
    options.verifyToken ??
    createTokenVerifier({ jwksUrl: options.jwksUrl ?? `${identityUrl}/.well-known/jwks.json` });
  const runtime = await openRuntime({
    service: 'redemption',
    migrationsDir: sourceFile('db/migrations'),
    databaseUrl: options.databaseUrl,
    exactDatabaseUrl: options.exactDatabaseUrl,
    dataDir: options.dataDir,
    redisUrl: options.redisUrl,
    poolSize: options.poolSize ?? 20,
  });
  const deps: RedemptionDeps = {
    db: runtime.db,
    authTtlMs: options.authTtlMs ?? 30 * DAY,
    call: createInternalClient({
      tokens,
      urls: {
        identity: identityUrl,
        funds: origin(options.fundsUrl ?? 'http://127.0.0.1:4002'),
        catalog: origin(options.catalogUrl ?? 'http://127.0.0.1:4003'),
      },
      timeoutMs: options.callTimeoutMs ?? 10_000,
    }),
  };
  const attempts = redisCodeAttempts(runtime.redis, { prefix });
  const recoverAfterMs = options.recoverAfterMs ?? 60_000;

  const relayConnection = options.outboxRelay === false ? undefined : runtime.redis.duplicate();
  relayConnection?.on('error', () => {});
  const relay = relayConnection
    ? startOutboxRelay({ db: runtime.db, connection: relayConnection, prefix })
    : undefined;

  const subgraph = await createSubgraph<RedemptionContext>({
    name: 'redemption',
    typeDefs: readFileSync(sourceFile('schema.graphql'), 'utf8'),
    resolvers,
    verifyToken,
    context: (base) => ({ ...base, deps: { ...deps, attempts } }),
    readiness: runtime.readiness,
    ...(options.production !== undefined ? { production: options.production } : {}),
    onClose: async () => {
      await maintenance?.close();
      await relay?.stop();
      relayConnection?.disconnect();
      await runtime.close();
    },
  });
  const steps: RedemptionSubgraph['maintenance'] = {
    recoverStale: (o) => recoverStale(deps, { staleMs: o?.staleMs ?? recoverAfterMs, log: subgraph.log }),
    expireDue: (o) => expireDue(deps, { ...(o?.now ? { now: o.now } : {}), log: subgraph.log }),
  };
  const maintenance =
    options.jobs === false
      ? undefined
      : await startMaintenance({
          redisUrl: options.redisUrl,
          prefix,
          everyMs: options.maintenanceEveryMs ?? 30_000,
          jobs: { recover: () => steps.recoverStale(), expire: () => steps.expireDue() },
          log: subgraph.log,
        });
  return Object.assign(subgraph, { maintenance: steps });
}
