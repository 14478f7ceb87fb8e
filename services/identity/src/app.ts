import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createServiceTokens,
  createSubgraph,
  createTokenVerifier,
  type Logger,
  openRuntime,
  type Subgraph,
  serviceTokenSecret,
} from '@mentoring/subgraph-kit';
import type { JSONWebKeySet } from 'jose';
import { createAccessTokenSigner } from './auth/access-tokens';
import { createAccounts } from './auth/accounts';
import { devJwtKey } from './auth/dev-secrets';
import { importSigningKey, jwksOf, type SigningKeyInput } from './auth/keys';
import { createLoginLimiter, DEFAULT_LOGIN_LIMITS, type LoginLimitOptions } from './auth/login-limits';
import { createSessions } from './auth/sessions';
import type { IdentityContext } from './context';
import { internalRoutes } from './internal';
import { resolvers } from './resolvers';

// Resolved from the package root so it works from src/ (tsx, tests) and dist/ (built).
const sourceFile = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

export interface IdentityOptions {
  databaseUrl?: string | undefined;
  exactDatabaseUrl?: string | undefined;
  dataDir?: string | undefined;
  redisUrl: string;
  /** Key prefix in Redis (REDIS_PREFIX). */
  redisPrefix?: string | undefined;
  production?: boolean;
  /** SERVICE_TOKEN_SECRET; required in production, generated into `dataDir` otherwise. */
  serviceTokenSecret?: string | undefined;
  /** JWT_PRIVATE_KEY (PKCS8 PEM or private JWK); required in production, generated into `dataDir` otherwise. */
  jwtKey?: SigningKeyInput | undefined;
  /** Access-token lifetime, e.g. `15m`. */
  accessTokenTtl?: string;
  refreshTokenTtlDays?: number;
  /** The first operator, created or updated at start. */
  operator?: { email: string; password: string } | undefined;
  loginLimits?: Partial<LoginLimitOptions>;
  logger?: Logger;
}

export interface Identity extends Subgraph {
  /** The public keys access tokens are signed with (also at `/.well-known/jwks.json`). */
  jwks: JSONWebKeySet;
}

/** Builds the identity subgraph: migrated database, Redis, keys, GraphQL, JWKS and internal API. */
export async function createIdentity(options: IdentityOptions): Promise<Identity> {
  const production = options.production ?? process.env.NODE_ENV === 'production';
  const dataDir = options.dataDir ?? '.data';
  if (production && (!options.jwtKey || !options.serviceTokenSecret))
    throw new Error('JWT_PRIVATE_KEY and SERVICE_TOKEN_SECRET are required in production');
  const signingKey = await importSigningKey(options.jwtKey ?? (await devJwtKey(dataDir)));
  const serviceTokens = createServiceTokens(
    options.serviceTokenSecret ??
      (await serviceTokenSecret({ NODE_ENV: production ? 'production' : 'development', DATA_DIR: dataDir })),
    'identity',
  );
  const jwks = jwksOf(signingKey);

  const runtime = await openRuntime({
    service: 'identity',
    migrationsDir: sourceFile('db/migrations'),
    databaseUrl: options.databaseUrl,
    exactDatabaseUrl: options.exactDatabaseUrl,
    dataDir: options.dataDir,
    redisUrl: options.redisUrl,
  });
  try {
    const { db } = runtime;
    const sessions = createSessions(
      db,
      createAccessTokenSigner(signingKey, options.accessTokenTtl ?? '15m'),
      options.refreshTokenTtlDays ?? 30,
    );
    const limiter = createLoginLimiter(runtime.redis, options.redisPrefix ?? 'mentoring', {
      ...DEFAULT_LOGIN_LIMITS,
      ...options.loginLimits,
    });
    const accounts = createAccounts(db, sessions, limiter);
    if (options.operator) await accounts.ensureOperator(options.operator.email, options.operator.password);
    await accounts.warmUp();

    const subgraph = await createSubgraph<IdentityContext>({
      name: 'identity',
      typeDefs: readFileSync(sourceFile('schema.graphql'), 'utf8'),
      resolvers,
      ...(options.logger ? { logger: options.logger } : {}),
      verifyToken: createTokenVerifier({ jwks }),
      context: (base) => ({ ...base, db, accounts, sessions, signedInAs: new Set() }),
      readiness: runtime.readiness,
      internal: { tokens: serviceTokens, routes: internalRoutes(db) },
      routes: (app) => {
        app.get('/.well-known/jwks.json', async (_request, reply) =>
          reply.header('cache-control', 'public, max-age=300').send(jwks),
        );
      },
      production,
      onClose: () => runtime.close(),
    });
    return Object.assign(subgraph, { jwks });
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
