import { exitOnSignal, loadEnv, serviceTokenSecret } from '@mentoring/subgraph-kit';
import { createRedemption } from './app';
import { redemptionEnv } from './config';

const env = loadEnv(redemptionEnv);
const redemption = await createRedemption({
  databaseUrl: env.DATABASE_URL,
  dataDir: env.DATA_DIR,
  redisUrl: env.REDIS_URL,
  redisPrefix: env.REDIS_PREFIX,
  production: env.NODE_ENV === 'production',
  serviceTokenSecret: await serviceTokenSecret(env),
  jwksUrl: env.JWKS_URL ?? `${new URL(env.IDENTITY_URL).origin}/.well-known/jwks.json`,
  identityUrl: env.IDENTITY_URL,
  fundsUrl: env.FUNDS_URL,
  catalogUrl: env.CATALOG_URL,
  authTtlMs: env.REDEMPTION_AUTH_TTL,
  maintenanceEveryMs: env.REDEMPTION_MAINTENANCE_EVERY,
  recoverAfterMs: env.REDEMPTION_RECOVER_AFTER,
});
const url = await redemption.listen({ port: env.PORT, host: env.HOST });
redemption.log.info({ url: `${url}/graphql` }, 'redemption subgraph ready');
exitOnSignal(() => redemption.close(), redemption.log);
