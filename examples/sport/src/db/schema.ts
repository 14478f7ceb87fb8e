import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Mirror of migrations/0001_sport.sql. */
export const sportClubs = pgTable('sport_clubs', {
  organizationId: text('organization_id').primaryKey(),
  federationCode: text('federation_code').notNull(),
  disciplines: text('disciplines').array().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const sportDetails = pgTable('sport_details', {
  offeringId: text('offering_id').primaryKey(),
  providerId: text('provider_id').notNull(),
  discipline: text('discipline').notNull(),
  level: text('level', { enum: ['BEGINNER', 'INTERMEDIATE', 'ADVANCED', 'COMPETITIVE'] }).notNull(),
  ageGroup: text('age_group'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
