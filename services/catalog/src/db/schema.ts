import { sql } from 'drizzle-orm';
import { customType, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const categories = pgTable('categories', {
  slug: text('slug').primaryKey(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  position: integer('position').notNull(),
});

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const offerings = pgTable('offerings', {
  id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
  providerId: text('provider_id').notNull(),
  communityId: text('community_id').notNull(),
  title: text('title').notNull(),
  description: text('description'),
  category: text('category')
    .notNull()
    .references(() => categories.slug),
  priceCents: integer('price_cents').notNull(),
  capacity: integer('capacity'),
  seatsReserved: integer('seats_reserved').notNull().default(0),
  startsAt: timestamp('starts_at', { withTimezone: true }),
  endsAt: timestamp('ends_at', { withTimezone: true }),
  minAge: integer('min_age'),
  maxAge: integer('max_age'),
  status: text('status', { enum: ['DRAFT', 'PUBLISHED', 'ARCHIVED'] })
    .notNull()
    .default('DRAFT'),
  createdAt: timestamp('created_at', { withTimezone: true })
    .notNull()
    .default(sql`date_trunc('milliseconds', clock_timestamp())`),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  archivedAt: timestamp('archived_at', { withTimezone: true }),
  /** Generated from title and description (Italian, accent-folded); never written. */
  search: tsvector('search').generatedAlwaysAs(
    sql`setweight(to_tsvector('italian', catalog_fold(title)), 'A') || setweight(to_tsvector('italian', catalog_fold(coalesce(description, ''))), 'B')`,
  ),
});

export const seatReservations = pgTable('seat_reservations', {
  redemptionId: text('redemption_id').primaryKey(),
  offeringId: text('offering_id').references(() => offerings.id),
  reservedAt: timestamp('reserved_at', { withTimezone: true }).notNull().defaultNow(),
  releasedAt: timestamp('released_at', { withTimezone: true }),
});
