// Drizzle mirror of the SQL migrations (src/db/migrations). The migrations are the source of truth.
import { bigint, boolean, date, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const cents = (name: string) => bigint(name, { mode: 'number' });

export const accounts = pgTable('accounts', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  protected: boolean('protected').notNull(),
  debitsPosted: cents('debits_posted').notNull(),
  creditsPosted: cents('credits_posted').notNull(),
  debitsPending: cents('debits_pending').notNull(),
  creditsPending: cents('credits_pending').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

export const transfers = pgTable('transfers', {
  id: uuid('id').primaryKey(),
  idempotencyKey: text('idempotency_key').notNull().unique(),
  debitAccount: text('debit_account').notNull(),
  creditAccount: text('credit_account').notNull(),
  amountCents: cents('amount_cents').notNull(),
  kind: text('kind').notNull(),
  status: text('status').notNull(),
  pendingId: uuid('pending_id'),
  reversesId: uuid('reverses_id'),
  metadata: jsonb('metadata').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

export const funds = pgTable('funds', {
  id: uuid('id').primaryKey(),
  communityId: text('community_id').notNull(),
  name: text('name').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

export const contributions = pgTable('contributions', {
  id: uuid('id').primaryKey(),
  fundId: uuid('fund_id').notNull(),
  sponsorOrganizationId: text('sponsor_organization_id').notNull(),
  amountCents: cents('amount_cents').notNull(),
  note: text('note'),
  status: text('status').notNull(),
  idempotencyKey: text('idempotency_key').notNull(),
  recordedBy: text('recorded_by').notNull(),
  transferId: uuid('transfer_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }),
  cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
});

export const programs = pgTable('programs', {
  id: uuid('id').primaryKey(),
  fundId: uuid('fund_id').notNull(),
  name: text('name').notNull(),
  grantAmountCents: cents('grant_amount_cents').notNull(),
  budgetCents: cents('budget_cents').notNull(),
  minAge: integer('min_age'),
  maxAge: integer('max_age'),
  referrerOrganizationIds: text('referrer_organization_ids').array().notNull(),
  eligibleCategories: text('eligible_categories').array().notNull(),
  eligibleProviderIds: text('eligible_provider_ids').array().notNull(),
  eligibleOfferingIds: text('eligible_offering_ids').array().notNull(),
  issueUntil: date('issue_until'),
  spendDeadline: date('spend_deadline').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

export const grants = pgTable('grants', {
  id: uuid('id').primaryKey(),
  programId: uuid('program_id').notNull(),
  beneficiaryId: text('beneficiary_id').notNull(),
  holderUserId: text('holder_user_id'),
  status: text('status').notNull(),
  amountCents: cents('amount_cents').notNull(),
  claimCodeHash: text('claim_code_hash').unique(),
  /** Unique per referrer organization (partial unique index). */
  idempotencyKey: text('idempotency_key'),
  issuedBy: text('issued_by').notNull(),
  referrerOrganizationId: text('referrer_organization_id'),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  claimedAt: timestamp('claimed_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  requestHash: text('request_hash'),
  claimCodeSealed: text('claim_code_sealed'),
  batchId: uuid('batch_id'),
  batchIndex: integer('batch_index'),
  expiringNotifiedAt: timestamp('expiring_notified_at', { withTimezone: true }),
  expiredAt: timestamp('expired_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  revokedBy: text('revoked_by'),
  revokeReason: text('revoke_reason'),
});

export const grantBatches = pgTable('grant_batches', {
  id: uuid('id').primaryKey(),
  programId: uuid('program_id').notNull(),
  referrerOrganizationId: text('referrer_organization_id').notNull(),
  idempotencyKey: text('idempotency_key').notNull(),
  requestHash: text('request_hash').notNull(),
  recipients: integer('recipients').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

export const settlementRuns = pgTable('settlement_runs', {
  id: uuid('id').primaryKey(),
  communityId: text('community_id').notNull(),
  periodEnd: date('period_end').notNull(),
  idempotencyKey: text('idempotency_key').notNull().unique(),
  status: text('status').notNull(),
  cutoffAt: timestamp('cutoff_at', { withTimezone: true }),
  skippedProviders: jsonb('skipped_providers').notNull(),
  failureReason: text('failure_reason'),
  createdBy: text('created_by').notNull(),
  approvedBy: text('approved_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  approvedAt: timestamp('approved_at', { withTimezone: true }),
});

export const payouts = pgTable('payouts', {
  id: uuid('id').primaryKey(),
  runId: uuid('run_id').notNull(),
  providerId: text('provider_id').notNull(),
  providerName: text('provider_name').notNull(),
  iban: text('iban').notNull(),
  status: text('status').notNull(),
  amountCents: cents('amount_cents').notNull(),
  redemptionCount: integer('redemption_count').notNull(),
  transferId: uuid('transfer_id'),
  returnTransferId: uuid('return_transfer_id'),
  bankReference: text('bank_reference'),
  failureReason: text('failure_reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  approvedAt: timestamp('approved_at', { withTimezone: true }),
  paidAt: timestamp('paid_at', { withTimezone: true }),
  failedAt: timestamp('failed_at', { withTimezone: true }),
});

/** A capture is in at most one live payout (partial unique index on transfer_id where released_at is null). */
export const payoutItems = pgTable('payout_items', {
  payoutId: uuid('payout_id').notNull(),
  transferId: uuid('transfer_id').notNull(),
  redemptionId: text('redemption_id'),
  amountCents: cents('amount_cents').notNull(),
  releasedAt: timestamp('released_at', { withTimezone: true }),
});

export const settlementFiles = pgTable('settlement_files', {
  runId: uuid('run_id').primaryKey(),
  messageId: text('message_id').notNull(),
  sepaXml: text('sepa_xml'),
  csv: text('csv').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
