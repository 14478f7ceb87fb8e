import { fileURLToPath } from 'node:url';
import type { Database } from '@mentoring/db';
import {
  createLogger,
  createServiceTokens,
  drainAndClose,
  type Logger,
  openRuntime,
} from '@mentoring/subgraph-kit';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createHealthServer } from './health';
import { createDeliverProcessor, type DeliverResult, type RetryPolicy } from './jobs/deliver';
import { createMailer, type Mailer, mailDomain } from './mailer';
import { identityDirectory, type RecipientDirectory } from './recipients';

// Resolved from the package root so it works from src/ (tsx, tests) and dist/ (built).
const sourceFile = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

/** The BullMQ queue producers' outboxes relay notification events to. */
export const NOTIFICATIONS_QUEUE = 'notifications';

export const DEFAULT_FROM = 'Mentoring <noreply@mentoring.test>';

export interface NotificationsOptions {
  databaseUrl?: string | undefined;
  /** The exact database to use (tests); wins over `databaseUrl`. */
  exactDatabaseUrl?: string | undefined;
  /** PGlite files when no database is configured, and `mail/*.eml` when no SMTP server is. */
  dataDir?: string | undefined;
  redisUrl: string;
  /** BullMQ key prefix; must match the producers' relays (`REDIS_PREFIX`). */
  redisPrefix?: string | undefined;
  smtpUrl?: string | undefined;
  mailFrom?: string | undefined;
  /** Where recipients' addresses come from: identity's internal API, or any directory (tests). */
  recipients: RecipientDirectory | { identityUrl: string; serviceTokenSecret: string };
  /** Jobs processed at once (default 5). */
  concurrency?: number;
  /** Default: 8 attempts, exponential backoff from 1 s (what the relay sets). */
  retry?: RetryPolicy;
  smtpTimeoutsMs?: { connection?: number; greeting?: number; socket?: number };
  logger?: Logger;
}

export interface Notifications {
  /** Already consuming the queue when `createNotifications` returns. */
  worker: Worker<unknown, DeliverResult>;
  db: Database;
  mailer: Mailer;
  log: Logger;
  /** Serves `/healthz` and `/readyz`; returns the base URL. */
  listen(options: { port: number; host?: string }): Promise<string>;
  /** Stops taking jobs (the current ones finish), then closes the HTTP server, SMTP, database and Redis. */
  close(): Promise<void>;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 8, delayMs: 1000 };

/** Builds the notifications worker: migrated database, Redis, the `notifications` queue consumer, health. */
export async function createNotifications(options: NotificationsOptions): Promise<Notifications> {
  const log = options.logger ?? createLogger('notifications');
  const concurrency = options.concurrency ?? 5;
  const runtime = await openRuntime({
    service: 'notifications',
    migrationsDir: sourceFile('db/migrations'),
    databaseUrl: options.databaseUrl,
    exactDatabaseUrl: options.exactDatabaseUrl,
    dataDir: options.dataDir,
    redisUrl: options.redisUrl,
    // Each job in flight holds a connection while it sends (the delivery row lock).
    poolSize: concurrency + 2,
  });

  const directory =
    'identityUrl' in options.recipients
      ? identityDirectory({
          identityUrl: options.recipients.identityUrl,
          tokens: createServiceTokens(options.recipients.serviceTokenSecret, 'notifications'),
        })
      : options.recipients;
  const from = options.mailFrom ?? DEFAULT_FROM;
  const mailer = createMailer({
    smtpUrl: options.smtpUrl,
    from,
    dataDir: options.dataDir ?? '.data',
    ...(options.smtpTimeoutsMs ? { timeoutsMs: options.smtpTimeoutsMs } : {}),
  });

  // BullMQ workers need a connection that retries commands forever (blocking reads survive a Redis restart).
  const connection = new Redis(options.redisUrl, {
    maxRetriesPerRequest: null,
    connectionName: 'mentoring-notifications-worker',
  });
  connection.on('error', () => {});
  const worker = new Worker<unknown, DeliverResult>(
    NOTIFICATIONS_QUEUE,
    createDeliverProcessor({
      db: runtime.db,
      directory,
      mailer,
      mailDomain: mailDomain(from),
      log,
      retry: options.retry ?? DEFAULT_RETRY,
    }),
    { connection, concurrency, ...(options.redisPrefix ? { prefix: options.redisPrefix } : {}) },
  );
  let lastWorkerError = '';
  worker.on('error', (error) => {
    // Redis outages repeat the same error many times a second: log each kind once.
    if (error.message !== lastWorkerError) log.warn({ err: error.message }, 'notifications worker error');
    lastWorkerError = error.message;
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    log[final ? 'error' : 'warn'](
      { jobId: job.id, attemptsMade: job.attemptsMade, err: error.message },
      final
        ? 'notification job failed for good; kept in the failed set'
        : 'notification job failed; retrying',
    );
  });
  log.info({ mailer: mailer.kind, concurrency }, 'notifications worker started');

  const app = createHealthServer(log, {
    ...runtime.readiness,
    worker: async () => {
      if (!worker.isRunning()) throw new Error('not running');
    },
  });

  let closing: Promise<void> | undefined;
  return {
    worker,
    db: runtime.db,
    mailer,
    log,
    async listen({ port, host = '127.0.0.1' }) {
      await app.listen({ port, host });
      const address = app.server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actual}`;
    },
    close() {
      closing ??= (async () => {
        await worker.close();
        await drainAndClose(app);
        mailer.close();
        await runtime.close();
        await connection.quit().catch(() => connection.disconnect());
      })();
      return closing;
    },
  };
}
