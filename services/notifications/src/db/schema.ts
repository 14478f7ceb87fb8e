import { integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Mirror of migrations/0001_deliveries.sql. */
export const deliveries = pgTable(
  'deliveries',
  {
    eventId: text('event_id').notNull(),
    recipient: text('recipient').notNull(),
    eventType: text('event_type').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    messageId: text('message_id').notNull(),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.eventId, table.recipient] })],
);

export type Delivery = typeof deliveries.$inferSelect;
