// Grants, read together with their program's spend rules and their account balance.
import type { Sql } from '@mentoring/db';

export type GrantStatus = 'ISSUED' | 'ACTIVE' | 'EXPIRED' | 'REVOKED';

export interface Grant {
  id: string;
  programId: string;
  fundId: string;
  communityId: string;
  beneficiaryId: string;
  holderUserId: string | null;
  referrerOrganizationId: string | null;
  status: GrantStatus;
  amountCents: number;
  /** Available: credits posted − debits posted − debits pending (holds count as spent). */
  balanceCents: number;
  eligibleCategories: string[];
  eligibleProviderIds: string[];
  eligibleOfferingIds: string[];
  /** YYYY-MM-DD */
  spendDeadline: string;
  expiresAt: Date;
  claimedAt: Date | null;
  createdAt: Date;
  programName: string;
  issuedBy: string;
  /** What the referrer asked for (program + recipient), to recognize a retry. */
  requestHash: string | null;
  /** The claim code sealed with the claim-code key (never in clear). */
  claimCodeSealed: string | null;
  batchId: string | null;
  batchIndex: number | null;
}

const GRANT_SELECT = `SELECT g.id, g.program_id, p.fund_id, f.community_id, g.beneficiary_id, g.holder_user_id,
    g.referrer_organization_id, g.status, g.amount_cents,
    a.credits_posted - a.debits_posted - a.debits_pending AS balance_cents,
    p.eligible_categories, p.eligible_provider_ids, p.eligible_offering_ids,
    p.spend_deadline::text AS spend_deadline, g.expires_at, g.claimed_at, g.created_at,
    p.name AS program_name, g.issued_by, g.request_hash, g.claim_code_sealed, g.batch_id, g.batch_index
  FROM grants g
  JOIN programs p ON p.id = g.program_id
  JOIN funds f ON f.id = p.fund_id
  JOIN accounts a ON a.id = 'grant:' || g.id`;

const toGrant = (r: Record<string, unknown>): Grant => ({
  id: r.id as string,
  programId: r.program_id as string,
  fundId: r.fund_id as string,
  communityId: r.community_id as string,
  beneficiaryId: r.beneficiary_id as string,
  holderUserId: r.holder_user_id as string | null,
  referrerOrganizationId: r.referrer_organization_id as string | null,
  status: r.status as GrantStatus,
  amountCents: Number(r.amount_cents),
  balanceCents: Number(r.balance_cents),
  eligibleCategories: r.eligible_categories as string[],
  eligibleProviderIds: r.eligible_provider_ids as string[],
  eligibleOfferingIds: r.eligible_offering_ids as string[],
  spendDeadline: r.spend_deadline as string,
  expiresAt: r.expires_at as Date,
  claimedAt: r.claimed_at as Date | null,
  createdAt: r.created_at as Date,
  programName: r.program_name as string,
  issuedBy: r.issued_by as string,
  requestHash: r.request_hash as string | null,
  claimCodeSealed: r.claim_code_sealed as string | null,
  batchId: r.batch_id as string | null,
  batchIndex: r.batch_index as number | null,
});

export interface NewGrant {
  id: string;
  programId: string;
  beneficiaryId: string;
  holderUserId: string | null;
  status: GrantStatus;
  amountCents: number;
  claimCodeHash: string | null;
  idempotencyKey: string | null;
  issuedBy: string;
  referrerOrganizationId: string | null;
  expiresAt: Date;
}

export async function insertGrant(tx: Sql, g: NewGrant): Promise<void> {
  await tx.query(
    `INSERT INTO grants (id, program_id, beneficiary_id, holder_user_id, status, amount_cents, claim_code_hash,
       idempotency_key, issued_by, referrer_organization_id, expires_at, claimed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, CASE WHEN $4::text IS NULL THEN NULL ELSE now() END)`,
    [
      g.id,
      g.programId,
      g.beneficiaryId,
      g.holderUserId,
      g.status,
      g.amountCents,
      g.claimCodeHash,
      g.idempotencyKey,
      g.issuedBy,
      g.referrerOrganizationId,
      g.expiresAt,
    ],
  );
}

export async function findGrants(db: Sql, ids: readonly string[]): Promise<Grant[]> {
  return (await db.query(`${GRANT_SELECT} WHERE g.id = ANY($1::uuid[])`, [ids])).map(toGrant);
}

export async function grantsOfHolders(db: Sql, userIds: readonly string[]): Promise<Grant[]> {
  return (
    await db.query(`${GRANT_SELECT} WHERE g.holder_user_id = ANY($1::text[]) ORDER BY g.created_at, g.id`, [
      userIds,
    ])
  ).map(toGrant);
}

// ------------------------------------------------------------- issuing

export interface NewIssuedGrant extends NewGrant {
  requestHash: string;
  claimCodeSealed: string;
  batchId: string | null;
  batchIndex: number | null;
}

/**
 * Inserts an ISSUED grant unless a unique rule refuses it (the referrer's
 * idempotency key, the batch item, one grant per beneficiary per program, the
 * code hash): false then. A concurrent insert of the same key waits for the
 * other transaction and then sees it.
 */
export async function insertIssuedGrant(tx: Sql, g: NewIssuedGrant): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO grants (id, program_id, beneficiary_id, status, amount_cents, claim_code_hash, idempotency_key,
       issued_by, referrer_organization_id, expires_at, request_hash, claim_code_sealed, batch_id, batch_index)
     VALUES ($1, $2, $3, 'ISSUED', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT DO NOTHING RETURNING id`,
    [
      g.id,
      g.programId,
      g.beneficiaryId,
      g.amountCents,
      g.claimCodeHash,
      g.idempotencyKey,
      g.issuedBy,
      g.referrerOrganizationId,
      g.expiresAt,
      g.requestHash,
      g.claimCodeSealed,
      g.batchId,
      g.batchIndex,
    ],
  );
  return rows.length > 0;
}

async function one(db: Sql, where: string, params: unknown[]): Promise<Grant | null> {
  const rows = await db.query(`${GRANT_SELECT} WHERE ${where}`, params);
  return rows[0] ? toGrant(rows[0]) : null;
}

export const findGrantByKey = (db: Sql, referrerOrganizationId: string, idempotencyKey: string) =>
  one(db, 'g.referrer_organization_id = $1 AND g.idempotency_key = $2', [
    referrerOrganizationId,
    idempotencyKey,
  ]);

export const findGrantOfBatchItem = (db: Sql, batchId: string, index: number) =>
  one(db, 'g.batch_id = $1 AND g.batch_index = $2', [batchId, index]);

export const findGrantOfBeneficiary = (db: Sql, programId: string, beneficiaryId: string) =>
  one(db, 'g.program_id = $1 AND g.beneficiary_id = $2', [programId, beneficiaryId]);

export const findGrantByCodeHash = (db: Sql, codeHash: string) =>
  one(db, 'g.claim_code_hash = $1', [codeHash]);

export async function grantsOfBatch(db: Sql, batchId: string): Promise<Grant[]> {
  return (await db.query(`${GRANT_SELECT} WHERE g.batch_id = $1 ORDER BY g.batch_index`, [batchId])).map(
    toGrant,
  );
}

/** Locks the grant row for a status change (claim, revoke, expiry); null when unknown. */
export async function lockGrant(tx: Sql, id: string): Promise<Grant | null> {
  await tx.query('SELECT id FROM grants WHERE id = $1 FOR UPDATE', [id]);
  return (await findGrants(tx, [id]))[0] ?? null;
}

// ----------------------------------------------------------- lifecycle

/** ISSUED → ACTIVE for `holderUserId`; false when the grant was no longer ISSUED. */
export async function markClaimed(
  tx: Sql,
  id: string,
  holderUserId: string,
  expiresAt: Date,
): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE grants SET status = 'ACTIVE', holder_user_id = $2, claimed_at = now(), expires_at = $3
      WHERE id = $1 AND status = 'ISSUED' RETURNING id`,
    [id, holderUserId, expiresAt],
  );
  return rows.length > 0;
}

export async function markRevoked(tx: Sql, id: string, by: string, reason: string | null): Promise<void> {
  await tx.query(
    `UPDATE grants SET status = 'REVOKED', revoked_at = now(), revoked_by = $2, revoke_reason = $3
      WHERE id = $1 AND status IN ('ISSUED', 'ACTIVE')`,
    [id, by, reason],
  );
}

export async function markExpired(tx: Sql, id: string): Promise<void> {
  await tx.query(
    `UPDATE grants SET status = 'EXPIRED', expired_at = now() WHERE id = $1 AND status IN ('ISSUED', 'ACTIVE')`,
    [id],
  );
}

/**
 * Live grants whose expiry passed at `now`, locked; rows another transaction
 * holds are skipped (a concurrent run takes them).
 */
export async function lockGrantsToExpire(tx: Sql, now: Date, limit: number): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    `SELECT id FROM grants WHERE status IN ('ISSUED', 'ACTIVE') AND expires_at <= $1
      ORDER BY expires_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now, limit],
  );
  return rows.map((r) => r.id);
}

/** Active grants expiring before `until` whose holder was not told yet, locked (others skipped). */
export async function lockGrantsToRemind(tx: Sql, now: Date, until: Date, limit: number): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    `SELECT id FROM grants WHERE status = 'ACTIVE' AND expiring_notified_at IS NULL
        AND expires_at > $1 AND expires_at <= $2
      ORDER BY expires_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
    [now, until, limit],
  );
  return rows.map((r) => r.id);
}

export async function markReminded(tx: Sql, id: string): Promise<void> {
  await tx.query('UPDATE grants SET expiring_notified_at = now() WHERE id = $1', [id]);
}

// ------------------------------------------------------------- batches

export interface GrantBatch {
  id: string;
  programId: string;
  referrerOrganizationId: string;
  idempotencyKey: string;
  requestHash: string;
  recipients: number;
  createdAt: Date;
}

const BATCH_COLUMNS =
  'id, program_id, referrer_organization_id, idempotency_key, request_hash, recipients, created_at';

const toBatch = (r: Record<string, unknown>): GrantBatch => ({
  id: r.id as string,
  programId: r.program_id as string,
  referrerOrganizationId: r.referrer_organization_id as string,
  idempotencyKey: r.idempotency_key as string,
  requestHash: r.request_hash as string,
  recipients: Number(r.recipients),
  createdAt: r.created_at as Date,
});

/** The batch of this referrer and key: inserted now, or the one recorded before. */
export async function insertOrFindBatch(
  db: Sql,
  b: Omit<GrantBatch, 'createdAt'> & { createdBy: string },
): Promise<GrantBatch> {
  const inserted = await db.query(
    `INSERT INTO grant_batches (id, program_id, referrer_organization_id, idempotency_key, request_hash, recipients, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (referrer_organization_id, idempotency_key) DO NOTHING RETURNING ${BATCH_COLUMNS}`,
    [b.id, b.programId, b.referrerOrganizationId, b.idempotencyKey, b.requestHash, b.recipients, b.createdBy],
  );
  if (inserted[0]) return toBatch(inserted[0]);
  const rows = await db.query(
    `SELECT ${BATCH_COLUMNS} FROM grant_batches WHERE referrer_organization_id = $1 AND idempotency_key = $2`,
    [b.referrerOrganizationId, b.idempotencyKey],
  );
  return toBatch(rows[0]!);
}

export async function findBatch(db: Sql, id: string): Promise<GrantBatch | null> {
  const rows = await db.query(`SELECT ${BATCH_COLUMNS} FROM grant_batches WHERE id = $1`, [id]);
  return rows[0] ? toBatch(rows[0]) : null;
}

/**
 * Ended (EXPIRED or REVOKED) grants that got money back after they ended (a
 * hold voided), locked, with their account's totals: the job returns it too.
 */
export async function lockEndedGrantsWithMoney(
  tx: Sql,
  limit: number,
): Promise<Array<{ id: string; programId: string; availableCents: number; state: string }>> {
  const rows = await tx.query<{ id: string; program_id: string; available: string; state: string }>(
    `SELECT g.id, g.program_id, a.credits_posted - a.debits_posted - a.debits_pending AS available,
            a.credits_posted || ':' || a.debits_posted || ':' || a.debits_pending AS state
       FROM grants g JOIN accounts a ON a.id = 'grant:' || g.id
      WHERE g.status IN ('EXPIRED', 'REVOKED') AND a.credits_posted - a.debits_posted - a.debits_pending > 0
      ORDER BY g.id LIMIT $1 FOR UPDATE OF g SKIP LOCKED`,
    [limit],
  );
  return rows.map((r) => ({
    id: r.id,
    programId: r.program_id,
    availableCents: Number(r.available),
    state: r.state,
  }));
}
