import type { Database } from '@mentoring/db';
import { identityApi } from '@mentoring/internal-api';
import { badInput, forbidden, internalRoute, notFound, UserError } from '@mentoring/subgraph-kit';
import type { z } from 'zod';
import { findBeneficiaries, findOrCreateBeneficiary, lockBeneficiary, setHolder } from '../db/beneficiaries';
import { findOrganization } from '../db/organizations';
import { findUser } from '../db/users';
import { GUARDIAN_CONSENT_VERSION, needsGuardian, todayUtc } from '../domain/age';
import { normalizeEmail } from '../domain/emails';
import { isId } from '../domain/ids';
import { nameKey, tidyName } from '../domain/names';

type Output<C extends { output: z.ZodType }> = z.output<C['output']>;

export const beneficiaryRoutes = (db: Database) => ({
  findOrCreateBeneficiary: internalRoute(
    identityApi.findOrCreateBeneficiary.input,
    async (input): Promise<Output<typeof identityApi.findOrCreateBeneficiary>> => {
      const referrer = isId(input.referrerOrganizationId)
        ? await findOrganization(db, input.referrerOrganizationId)
        : null;
      if (!referrer || referrer.communityId !== input.communityId) throw notFound('Referrer organization');
      if (input.birthDate > todayUtc()) throw badInput('The birth date is in the future.', 'birthDate');
      const firstName = tidyName(input.firstName);
      const lastName = tidyName(input.lastName);
      return db.transaction((tx) =>
        findOrCreateBeneficiary(tx, {
          communityId: input.communityId,
          referrerOrganizationId: referrer.id,
          firstName,
          lastName,
          firstNameKey: nameKey(firstName),
          lastNameKey: nameKey(lastName),
          birthDate: input.birthDate,
          email: input.email ? normalizeEmail(input.email) : null,
          guardianEmail: input.guardianEmail ? normalizeEmail(input.guardianEmail) : null,
        }),
      );
    },
  ),

  getBeneficiaries: internalRoute(
    identityApi.getBeneficiaries.input,
    async ({ ids }): Promise<Output<typeof identityApi.getBeneficiaries>> =>
      (await findBeneficiaries(db, ids)).map((b) => ({
        id: b.id,
        communityId: b.communityId,
        birthDate: b.birthDate,
        holderUserId: b.holderUserId,
        email: b.email,
        guardianEmail: b.guardianEmail,
      })),
  ),

  linkBeneficiaryHolder: internalRoute(
    identityApi.linkBeneficiaryHolder.input,
    async (input): Promise<Output<typeof identityApi.linkBeneficiaryHolder>> => {
      if (!isId(input.userId) || !(await findUser(db, input.userId))) throw notFound('User');
      return db.transaction(async (tx) => {
        const beneficiary = await lockBeneficiary(tx, input.beneficiaryId);
        if (!beneficiary) throw notFound('Beneficiary');
        if (beneficiary.holderUserId === input.userId) return { holderUserId: input.userId };
        if (beneficiary.holderUserId) throw forbidden('These grants already belong to another account.');
        const guardianNeeded = needsGuardian(beneficiary.birthDate, input.today ?? todayUtc());
        if (guardianNeeded && !input.guardianConsent)
          throw new UserError('NOT_ELIGIBLE', 'A guardian must claim this grant for a beneficiary under 14.');
        await setHolder(tx, beneficiary.id, {
          userId: input.userId,
          guardianConsentVersion: guardianNeeded ? GUARDIAN_CONSENT_VERSION : null,
        });
        return { holderUserId: input.userId };
      });
    },
  ),
});
