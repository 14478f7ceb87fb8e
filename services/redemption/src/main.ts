import { exitOnSignal, loadEnv } from '@mentoring/subgraph-kit';
import { createRedemption } from './app';
import { redemptionEnv } from './config';

const env = loadEnv(redemptionEnv);
const redemption = await createRedemption({
  databaseUrl: env.DATABASE_URL,
  dataDir: env.DATA_DIR,
  redisUrl: env.REDIS_URL,
  production: env.NODE_ENV === 'production',
});
const url = await redemption.listen({ port: env.PORT, host: env.HOST });
redemption.log.info({ url: `${url}/graphql` }, 'redemption subgraph ready');
exitOnSignal(() => redemption.close(), redemption.log);
