import { exitOnSignal, loadEnv } from '@mentoring/subgraph-kit';
import { createIdentity } from './app';
import { identityEnv } from './config';

const env = loadEnv(identityEnv);
const identity = await createIdentity({
  databaseUrl: env.DATABASE_URL,
  dataDir: env.DATA_DIR,
  redisUrl: env.REDIS_URL,
  redisPrefix: env.REDIS_PREFIX,
  production: env.NODE_ENV === 'production',
  serviceTokenSecret: env.SERVICE_TOKEN_SECRET,
  jwtKey: env.JWT_PRIVATE_KEY,
  accessTokenTtl: env.ACCESS_TOKEN_TTL,
  refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
  operator:
    env.OPERATOR_EMAIL && env.OPERATOR_PASSWORD
      ? { email: env.OPERATOR_EMAIL, password: env.OPERATOR_PASSWORD }
      : undefined,
});
const url = await identity.listen({ port: env.PORT, host: env.HOST });
identity.log.info({ url: `${url}/graphql` }, 'identity subgraph ready');
exitOnSignal(() => identity.close(), identity.log);
