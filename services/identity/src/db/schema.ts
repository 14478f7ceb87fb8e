import { sql } from 'drizzle-orm';
import { date, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Mirror of migrations/0001_identity.sql (constraints and indexes live there).

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull(),
  passwordHash: text('password_hash').notNull(),
  displayName: text('display_name').notNull(),
  locale: text('locale').notNull().default('it'),
  roles: text('roles').array().notNull().default(sql`'{}'`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const refreshTokens = pgTable('refresh_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id').notNull(),
  familyId: uuid('family_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  rotatedAt: timestamp('rotated_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const communities = pgTable('communities', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  slug: text('slug').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  communityId: uuid('community_id').notNull(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['SPONSOR', 'SCHOOL', 'SOCIAL_AGENCY', 'PROVIDER'] }).notNull(),
  taxCode: text('tax_code'),
  iban: text('iban'),
  email: text('email'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const memberships = pgTable(
  'memberships',
  {
    organizationId: uuid('organization_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: text('role', { enum: ['ADMIN', 'STAFF'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.userId] })],
);

export const beneficiaries = pgTable('beneficiaries', {
  id: uuid('id').primaryKey().defaultRandom(),
  communityId: uuid('community_id').notNull(),
  firstName: text('first_name').notNull(),
  lastName: text('last_name').notNull(),
  firstNameKey: text('first_name_key').notNull(),
  lastNameKey: text('last_name_key').notNull(),
  birthDate: date('birth_date', { mode: 'string' }).notNull(),
  email: text('email'),
  guardianEmail: text('guardian_email'),
  holderUserId: uuid('holder_user_id'),
  guardianConsentAt: timestamp('guardian_consent_at', { withTimezone: true }),
  guardianConsentUserId: uuid('guardian_consent_user_id'),
  guardianConsentVersion: text('guardian_consent_version'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const beneficiaryReferrals = pgTable(
  'beneficiary_referrals',
  {
    beneficiaryId: uuid('beneficiary_id').notNull(),
    organizationId: uuid('organization_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.beneficiaryId, t.organizationId] })],
);
