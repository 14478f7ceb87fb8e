import { createLogger, exitOnSignal, loadEnv, serviceTokenSecret } from '@mentoring/subgraph-kit';
import { createNotifications } from './app';
import { notificationsEnv } from './config';

const env = loadEnv(notificationsEnv);
const log = createLogger('notifications', env.LOG_LEVEL);
const notifications = await createNotifications({
  databaseUrl: env.DATABASE_URL,
  dataDir: env.DATA_DIR,
  redisUrl: env.REDIS_URL,
  redisPrefix: env.REDIS_PREFIX,
  smtpUrl: env.SMTP_URL,
  mailFrom: env.MAIL_FROM,
  recipients: { identityUrl: env.IDENTITY_URL, serviceTokenSecret: await serviceTokenSecret(env) },
  concurrency: env.NOTIFICATIONS_CONCURRENCY,
  retry: { attempts: env.NOTIFICATIONS_ATTEMPTS, delayMs: env.NOTIFICATIONS_BACKOFF_MS },
  logger: log,
});
const url = await notifications.listen({ port: env.PORT, host: env.HOST });
log.info(
  { url, mailer: notifications.mailer.kind, mailFolder: env.SMTP_URL ? undefined : `${env.DATA_DIR}/mail` },
  'notifications worker ready',
);
exitOnSignal(() => notifications.close(), log);
