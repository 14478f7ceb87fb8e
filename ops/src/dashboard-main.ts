// The queue dashboard process (`npm start` runs it on :4006).
import { createLogger, exitOnSignal, loadEnv } from '@mentoring/subgraph-kit';
import { createDashboard } from './dashboard';
import { dashboardEnv } from './dashboard-config';

const env = loadEnv(dashboardEnv);
const log = createLogger('ops-dashboard', env.LOG_LEVEL);
const dashboard = await createDashboard({
  redisUrl: env.REDIS_URL,
  redisPrefix: env.REDIS_PREFIX,
  gatewayUrl: env.GATEWAY_URL,
  auth: { jwksUrl: env.JWKS_URL },
  secureCookie: (env.DASHBOARD_SECURE_COOKIE ?? (env.NODE_ENV === 'production' ? '1' : '0')) === '1',
  logger: log,
});
const url = await dashboard.listen({ port: env.PORT, host: env.HOST });
log.info({ url: `${url}/queues/` }, 'queue dashboard ready');
exitOnSignal(() => dashboard.close(), log);
