import type { IdentityContext } from '../context';
import type { OrganizationRow } from '../db/organizations';
import { canSeeOrganizationDetails } from '../domain/visibility';
import { communityById, organizationById } from '../loaders';

/** Tax code, IBAN and email: operators and members of the organization; null for anyone else. */
const detail =
  (field: 'taxCode' | 'iban' | 'email') =>
  (organization: OrganizationRow, _: unknown, { viewer }: IdentityContext) =>
    canSeeOrganizationDetails(viewer, organization.id) ? organization[field] : null;

export const Organization = {
  // id, name and kind are public.
  __resolveReference: (ref: { id: string }, ctx: IdentityContext) => organizationById(ctx).load(ref.id),
  community: (organization: OrganizationRow, _: unknown, ctx: IdentityContext) =>
    communityById(ctx).load(organization.communityId),
  taxCode: detail('taxCode'),
  iban: detail('iban'),
  email: detail('email'),
};
