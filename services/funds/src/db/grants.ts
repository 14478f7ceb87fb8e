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
}

const GRANT_SELECT = `SELECT g.id, g.program_id, p.fund_id, f.community_id, g.beneficiary_id, g.holder_user_id,
    g.referrer_organization_id, g.status, g.amount_cents,
    a.credits_posted - a.debits_posted - a.debits_pending AS balance_cents,
    p.eligible_categories, p.eligible_provider_ids, p.eligible_offering_ids,
    p.spend_deadline::text AS spend_deadline, g.expires_at, g.claimed_at, g.created_at
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
