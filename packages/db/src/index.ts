export { type Database, type Drizzle, type Sql, openPglite, openPostgres } from './database';
export { ensureDatabase, dropDatabase, serviceDatabaseUrl } from './provision';
export { type Migration, migrate, readMigrations } from './migrate';
export {
  type OutboxEvent,
  type OutboxRelay,
  type OutboxRelayOptions,
  OUTBOX_MIGRATION,
  startOutboxRelay,
  writeEvent,
} from './outbox';
export { openServiceDatabase } from './open';
