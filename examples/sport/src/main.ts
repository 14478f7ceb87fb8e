import { createTokenVerifier, exitOnSignal, loadEnv, serviceTokenSecret } from '@mentoring/subgraph-kit';
import { createSport } from './app';
import { sportEnv } from './config';

const env = loadEnv(sportEnv);
const identityOrigin = new URL(env.IDENTITY_URL).origin;
const sport = await createSport({
  databaseUrl: env.DATABASE_URL,
  dataDir: env.DATA_DIR,
  redisUrl: env.REDIS_URL,
  production: env.NODE_ENV === 'production',
  serviceTokenSecret: await serviceTokenSecret(env),
  verifyToken: createTokenVerifier({ jwksUrl: env.JWKS_URL ?? `${identityOrigin}/.well-known/jwks.json` }),
  catalogUrl: env.CATALOG_URL,
});
const url = await sport.listen({ port: env.PORT, host: env.HOST });
sport.log.info({ url: `${url}/graphql` }, 'sport subgraph ready');
exitOnSignal(() => sport.close(), sport.log);
