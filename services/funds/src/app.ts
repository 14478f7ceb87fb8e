import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startOutboxRelay } from '@mentoring/db';
import { createInternalClient, identityApi } from '@mentoring/internal-api';
import {
  createServiceTokens,
  createSubgraph,
  createTokenVerifier,
  openRuntime,
  type Subgraph,
  type TokenVerifier,
} from '@mentoring/subgraph-kit';
import { DEV_SEPA_DEBTOR } from './config';
import type { FundsContext } from './context';
import { claimCodeKeys } from './domain/claim-codes';
import type { SepaDebtor } from './domain/settlement/files';
import { DEFAULT_HOLD_DAYS } from './domain/settlement/settlement';
import { registerExportRoutes } from './http/exports';
import { registerSettlementRoutes } from './http/settlement-files';
import { internalRoutes } from './internal';
import { DEFAULT_GRANT_EXPIRY_EVERY_MS, type Maintenance, startMaintenance } from './jobs/maintenance';
import { identityDirectory, type SettlementWorker, startSettlementWorker } from './jobs/settlement';
import { type ClaimLimits, createClaimAttempts, DEFAULT_CLAIM_LIMITS } from './limits/claim-attempts';
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
  /** Identity's base URL, for its internal API (default http://127.0.0.1:4001). */
  identityUrl?: string | undefined;
  /** CLAIM_CODE_KEY (≥ 32 characters). Without it a random key is used: codes die with the process. */
  claimCodeKey?: string | undefined;
  /** Wrong claim codes allowed per user and per IP (default 5 and 20 per 15 minutes). */
  claimLimits?: Partial<ClaimLimits>;
  /** Runs the funds-maintenance worker and its scheduler (grant expiry) in this process (default true). */
  maintenance?: boolean;
  grantExpiryEveryMs?: number | undefined;
  /** Runs the settlement worker in this process (default true). */
  settlement?: boolean;
  /** SETTLEMENT_HOLD_DAYS: captures younger than this are not settled (default 14). */
  settlementHoldDays?: number | undefined;
  /** Pause between providers while grouping (default none). */
  settlementThrottleMs?: number | undefined;
  /** The SEPA debtor account (default: a development placeholder). */
  sepaDebtor?: SepaDebtor | undefined;
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
  const prefix = options.redisPrefix ?? 'mentoring';
  const relayConnection = options.outboxRelay === false ? undefined : runtime.redis.duplicate();
  relayConnection?.on('error', () => {});
  const relay = relayConnection
    ? startOutboxRelay({
        db: runtime.db,
        connection: relayConnection,
        prefix,
      })
    : undefined;
  const codes = claimCodeKeys(options.claimCodeKey ?? randomBytes(32).toString('base64url'));
  const identity = createInternalClient({
    tokens,
    urls: { identity: options.identityUrl ?? 'http://127.0.0.1:4001' },
  });
  const claimAttempts = createClaimAttempts(runtime.redis, prefix, {
    ...DEFAULT_CLAIM_LIMITS,
    ...options.claimLimits,
  });
  const debtor = options.sepaDebtor ?? DEV_SEPA_DEBTOR;
  let maintenance: Maintenance | undefined;
  let settlement: SettlementWorker | undefined;
  const subgraph = await createSubgraph<FundsContext>({
    name: 'funds',
    typeDefs: readFileSync(sourceFile('schema.graphql'), 'utf8'),
    resolvers,
    verifyToken,
    context: (base) => ({ ...base, db: runtime.db, identity, codes, claimAttempts, sepaDebtor: debtor }),
    readiness: runtime.readiness,
    internal: { tokens, routes: internalRoutes(runtime.db) },
    routes: (app) => {
      registerExportRoutes(app, { db: runtime.db, codes, verifyToken });
      registerSettlementRoutes(app, { db: runtime.db, verifyToken });
    },
    ...(options.production !== undefined ? { production: options.production } : {}),
    onClose: async () => {
      await settlement?.close();
      await maintenance?.close();
      await relay?.stop();
      relayConnection?.disconnect();
      await runtime.close();
    },
  });
  try {
    if (options.settlement !== false)
      settlement = await startSettlementWorker({
        db: runtime.db,
        redis: runtime.redis,
        prefix,
        directory: identityDirectory((ids) => identity(identityApi.getOrganizations, { ids })),
        holdDays: options.settlementHoldDays ?? DEFAULT_HOLD_DAYS,
        ...(options.settlementThrottleMs ? { throttleMs: options.settlementThrottleMs } : {}),
        onError: (error) => subgraph.log.error({ err: error }, 'settlement failed'),
      });
  } catch (error) {
    await subgraph.close();
    throw error;
  }
  if (options.maintenance !== false) {
    try {
      maintenance = await startMaintenance({
        db: runtime.db,
        redis: runtime.redis,
        prefix,
        everyMs: options.grantExpiryEveryMs ?? DEFAULT_GRANT_EXPIRY_EVERY_MS,
        onError: (error) => subgraph.log.error({ err: error }, 'grant maintenance failed'),
      });
    } catch (error) {
      await subgraph.close();
      throw error;
    }
  }
  return subgraph;
}
