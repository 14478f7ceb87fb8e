import type { IdentityContext } from '../context';
import type { BeneficiaryRow } from '../db/beneficiaries';
import { canSeeBeneficiaryNames } from '../domain/visibility';
import { beneficiaryById, referrersByBeneficiary } from '../loaders';

/** Names: the holder, staff of a referring organization, operators; null for anyone else. */
const name =
  (field: 'firstName' | 'lastName') =>
  async (beneficiary: BeneficiaryRow, _: unknown, ctx: IdentityContext) => {
    if (!ctx.viewer) return null;
    const referrerOrganizationIds = await referrersByBeneficiary(ctx).load(beneficiary.id);
    const visible = canSeeBeneficiaryNames(ctx.viewer, {
      holderUserId: beneficiary.holderUserId,
      referrerOrganizationIds,
    });
    return visible ? beneficiary[field] : null;
  };

export const Beneficiary = {
  __resolveReference: (ref: { id: string }, ctx: IdentityContext) => beneficiaryById(ctx).load(ref.id),
  firstName: name('firstName'),
  lastName: name('lastName'),
};
