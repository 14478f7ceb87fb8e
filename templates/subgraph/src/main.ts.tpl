import { createTokenVerifier, exitOnSignal, loadEnv } from '@mentoring/subgraph-kit';
import { create{{Pascal}} } from './app';
import { {{camel}}Env } from './config';

const env = loadEnv({{camel}}Env);
const identityOrigin = new URL(env.IDENTITY_URL).origin;
const subgraph = await create{{Pascal}}({
  databaseUrl: env.DATABASE_URL,
  dataDir: env.DATA_DIR,
  redisUrl: env.REDIS_URL,
  production: env.NODE_ENV === 'production',
  verifyToken: createTokenVerifier({ jwksUrl: env.JWKS_URL ?? `${identityOrigin}/.well-known/jwks.json` }),
});
const url = await subgraph.listen({ port: env.PORT, host: env.HOST });
subgraph.log.info({ url: `${url}/graphql` }, '{{name}} subgraph ready');
exitOnSignal(() => subgraph.close(), subgraph.log);
