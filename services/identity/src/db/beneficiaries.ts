import type { Sql } from '@mentoring/db';
import { eq, inArray } from 'drizzle-orm';
import { isId, onlyIds } from '../domain/ids';
import { beneficiaries, beneficiaryReferrals } from './schema';

export type BeneficiaryRow = typeof beneficiaries.$inferSelect;

export interface NewBeneficiary {
  communityId: string;
  referrerOrganizationId: string;
  firstName: string;
  lastName: string;
  firstNameKey: string;
  lastNameKey: string;
  birthDate: string;
  email: string | null;
  guardianEmail: string | null;
}

/**
 * Stores the person once per community, normalized name and birth date
 * (concurrent calls meet on the unique index), fills in missing email
 * addresses, and records the referral. `created` is true for the call that
 * inserted the row.
 */
export async function findOrCreateBeneficiary(
  tx: Sql,
  person: NewBeneficiary,
): Promise<{ id: string; communityId: string; birthDate: string; created: boolean }> {
  const [row] = await tx.query<{ id: string; community_id: string; birth_date: string; created: boolean }>(
    `INSERT INTO beneficiaries
       (community_id, first_name, last_name, first_name_key, last_name_key, birth_date, email, guardian_email)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (community_id, last_name_key, first_name_key, birth_date) DO UPDATE
       SET email = COALESCE(beneficiaries.email, EXCLUDED.email),
           guardian_email = COALESCE(beneficiaries.guardian_email, EXCLUDED.guardian_email)
     RETURNING id, community_id, birth_date::text AS birth_date, (xmax = 0) AS created`,
    [
      person.communityId,
      person.firstName,
      person.lastName,
      person.firstNameKey,
      person.lastNameKey,
      person.birthDate,
      person.email,
      person.guardianEmail,
    ],
  );
  await tx.drizzle
    .insert(beneficiaryReferrals)
    .values({ beneficiaryId: row!.id, organizationId: person.referrerOrganizationId })
    .onConflictDoNothing();
  return { id: row!.id, communityId: row!.community_id, birthDate: row!.birth_date, created: row!.created };
}

export async function findBeneficiaries(db: Sql, ids: readonly string[]): Promise<BeneficiaryRow[]> {
  const valid = onlyIds(ids);
  if (valid.length === 0) return [];
  return db.drizzle.select().from(beneficiaries).where(inArray(beneficiaries.id, valid));
}

/** The organizations that referred each of these beneficiaries. */
export async function referralsOf(
  db: Sql,
  beneficiaryIds: readonly string[],
): Promise<Array<{ beneficiaryId: string; organizationId: string }>> {
  const valid = onlyIds(beneficiaryIds);
  if (valid.length === 0) return [];
  return db.drizzle
    .select({
      beneficiaryId: beneficiaryReferrals.beneficiaryId,
      organizationId: beneficiaryReferrals.organizationId,
    })
    .from(beneficiaryReferrals)
    .where(inArray(beneficiaryReferrals.beneficiaryId, valid));
}

/** The beneficiary, locked until the transaction ends. */
export async function lockBeneficiary(tx: Sql, id: string): Promise<BeneficiaryRow | null> {
  if (!isId(id)) return null;
  const [row] = await tx.drizzle.select().from(beneficiaries).where(eq(beneficiaries.id, id)).for('update');
  return row ?? null;
}

export async function setHolder(
  tx: Sql,
  id: string,
  holder: { userId: string; guardianConsentVersion: string | null },
): Promise<void> {
  await tx.drizzle
    .update(beneficiaries)
    .set({
      holderUserId: holder.userId,
      ...(holder.guardianConsentVersion
        ? {
            guardianConsentAt: new Date(),
            guardianConsentUserId: holder.userId,
            guardianConsentVersion: holder.guardianConsentVersion,
          }
        : {}),
    })
    .where(eq(beneficiaries.id, id));
}
