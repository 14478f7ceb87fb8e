export { type Database, type Drizzle, openPglite, openPostgres, type Sql } from './database';
export { type Migration, migrate, readMigrations } from './migrate';
export { openServiceDatabase } from './open';
export {
  OUTBOX_MIGRATION,
  type OutboxEvent,
  type OutboxRelay,
  type OutboxRelayOptions,
  startOutboxRelay,
  writeEvent,
} from './outbox';
export { dropDatabase, ensureDatabase, serviceDatabaseUrl } from './provision';
