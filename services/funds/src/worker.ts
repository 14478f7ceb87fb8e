// A process that only runs settlement: the settlement worker and the outbox
// relay, for a database and Redis given by the environment (DATABASE_URL is
// the exact funds database here). Used to run workers apart from the API, and
// by the kill test.
//   DATABASE_URL=… REDIS_URL=… REDIS_PREFIX=… IDENTITY_URL=… SERVICE_TOKEN_SECRET=… node --import tsx src/worker.ts
import { migrate, openPostgres, readMigrations, startOutboxRelay } from '@mentoring/db';
import { createInternalClient, identityApi } from '@mentoring/internal-api';
import { connectRedis, createLogger, createServiceTokens, exitOnSignal } from '@mentoring/subgraph-kit';
import { migrationsDir } from './app';
import { identityDirectory, startSettlementWorker } from './jobs/settlement';

const env = process.env;
const databaseUrl = env.DATABASE_URL;
const secret = env.SERVICE_TOKEN_SECRET;
if (!databaseUrl || !secret) throw new Error('DATABASE_URL and SERVICE_TOKEN_SECRET must be set.');
const log = createLogger('funds-settlement-worker');
const prefix = env.REDIS_PREFIX ?? 'mentoring';
const db = openPostgres({ service: 'funds-settlement-worker', url: databaseUrl, max: 4 });
await migrate(db, readMigrations(migrationsDir()));
const redis = await connectRedis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'funds-settlement-worker');
const identity = createInternalClient({
  tokens: createServiceTokens(secret, 'funds'),
  urls: { identity: env.IDENTITY_URL ?? 'http://127.0.0.1:4001' },
});
const relayConnection = redis.duplicate();
relayConnection.on('error', () => {});
const relay = startOutboxRelay({ db, connection: relayConnection, prefix });
const worker = await startSettlementWorker({
  db,
  redis,
  prefix,
  directory: identityDirectory((ids) => identity(identityApi.getOrganizations, { ids })),
  holdDays: Number(env.SETTLEMENT_HOLD_DAYS ?? 14),
  throttleMs: Number(env.SETTLEMENT_THROTTLE_MS ?? 0),
  sweepAfterMs: Number(env.SETTLEMENT_SWEEP_AFTER_MS ?? 30_000),
  onError: (error) => log.error({ err: error }, 'settlement failed'),
});
log.info({ prefix }, 'settlement worker ready');
process.stdout.write('settlement worker ready\n');
exitOnSignal(async () => {
  await worker.close();
  await relay.stop();
  relayConnection.disconnect();
  redis.disconnect();
  await db.close();
}, log);
