import { createTokenVerifier, exitOnSignal, loadEnv, serviceTokenSecret } from '@mentoring/subgraph-kit';
import { createCatalog } from './app';
import { catalogEnv } from './config';

const env = loadEnv(catalogEnv);
const identityOrigin = new URL(env.IDENTITY_URL).origin;
const catalog = await createCatalog({
  databaseUrl: env.DATABASE_URL,
  dataDir: env.DATA_DIR,
  redisUrl: env.REDIS_URL,
  production: env.NODE_ENV === 'production',
  serviceTokenSecret: await serviceTokenSecret(env),
  verifyToken: createTokenVerifier({ jwksUrl: env.JWKS_URL ?? `${identityOrigin}/.well-known/jwks.json` }),
  identityUrl: identityOrigin,
});
const url = await catalog.listen({ port: env.PORT, host: env.HOST });
catalog.log.info({ url: `${url}/graphql` }, 'catalog subgraph ready');
exitOnSignal(() => catalog.close(), catalog.log);
