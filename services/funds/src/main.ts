import { exitOnSignal, loadEnv, serviceTokenSecret } from '@mentoring/subgraph-kit';
import { createFunds } from './app';
import { claimCodeKey, fundsEnv, sepaDebtor } from './config';

const env = loadEnv(fundsEnv);
const funds = await createFunds({
  databaseUrl: env.DATABASE_URL,
  dataDir: env.DATA_DIR,
  redisUrl: env.REDIS_URL,
  redisPrefix: env.REDIS_PREFIX,
  serviceTokenSecret: await serviceTokenSecret(env),
  jwksUrl: env.JWKS_URL,
  identityUrl: env.IDENTITY_URL,
  claimCodeKey: await claimCodeKey(env),
  grantExpiryEveryMs: env.GRANT_EXPIRY_EVERY_MS,
  settlementHoldDays: env.SETTLEMENT_HOLD_DAYS,
  sepaDebtor: sepaDebtor(env),
  production: env.NODE_ENV === 'production',
});
const url = await funds.listen({ port: env.PORT, host: env.HOST });
funds.log.info({ url: `${url}/graphql` }, 'funds subgraph ready');
exitOnSignal(() => funds.close(), funds.log);
