import { isMember, isOperator, type Viewer } from '@mentoring/subgraph-kit';

// Who may read which private data. Plain facts in, a yes or no out.

/**
 * A user's email, name, roles and memberships: the user themself, operators,
 * and ADMINs of an organization the user belongs to.
 */
export function canSeeAccount(viewer: Viewer, userId: string, userOrganizationIds: string[]): boolean {
  if (viewer.userId === userId || isOperator(viewer)) return true;
  return userOrganizationIds.some((id) => isMember(viewer, id, ['ADMIN']));
}

/** An organization's tax code, IBAN and email: operators and its members. */
export function canSeeOrganizationDetails(viewer: Viewer | null, organizationId: string): boolean {
  return isOperator(viewer) || isMember(viewer, organizationId);
}

/**
 * A beneficiary's names: the user holding their grants, staff of an
 * organization that referred them, and operators.
 */
export function canSeeBeneficiaryNames(
  viewer: Viewer | null,
  beneficiary: { holderUserId: string | null; referrerOrganizationIds: string[] },
): boolean {
  if (!viewer) return false;
  if (isOperator(viewer) || beneficiary.holderUserId === viewer.userId) return true;
  return beneficiary.referrerOrganizationIds.some((id) => isMember(viewer, id));
}
