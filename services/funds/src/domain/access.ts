// Who may do what with funds. Pure rules over the viewer; the data they need is passed in.
import { forbidden, isOperator, requireUser, type Viewer } from '@mentoring/subgraph-kit';

/** Operators, and ADMINs of the sponsor organization (as a SPONSOR), may record its contributions. */
export function requireContributionRecorder(viewer: Viewer | null, sponsorOrganizationId: string): Viewer {
  const user = requireUser(viewer);
  if (isOperator(user)) return user;
  const admin = user.memberships.some(
    (m) => m.organizationId === sponsorOrganizationId && m.role === 'ADMIN' && m.kind === 'SPONSOR',
  );
  if (!admin) throw forbidden('Only operators and admins of the sponsor can record its contributions.');
  return user;
}

/** The sponsor organizations the viewer belongs to (any role): candidates for fund access. */
export const sponsorOrganizationsOf = (viewer: Viewer) =>
  viewer.memberships.filter((m) => m.kind === 'SPONSOR').map((m) => m.organizationId);

/**
 * What the viewer may see of a fund: everything (operators), the fund and the
 * contributions of their own organizations (members of a sponsor that pledged
 * or gave to it), or nothing.
 */
export type FundAccess = { all: true } | { all: false; sponsors: string[] } | null;

export function fundAccess(viewer: Viewer | null, contributingSponsorsOfViewer: string[]): FundAccess {
  if (!viewer) return null;
  if (isOperator(viewer)) return { all: true };
  return contributingSponsorsOfViewer.length > 0
    ? { all: false, sponsors: contributingSponsorsOfViewer }
    : null;
}

/** Grants are visible to their holder, to operators and to staff of the referrer that issued them. */
export function canViewGrant(
  viewer: Viewer | null,
  grant: { holderUserId: string | null; referrerOrganizationId: string | null },
): boolean {
  if (!viewer) return false;
  if (isOperator(viewer) || (grant.holderUserId !== null && grant.holderUserId === viewer.userId))
    return true;
  return (
    grant.referrerOrganizationId !== null &&
    viewer.memberships.some((m) => m.organizationId === grant.referrerOrganizationId)
  );
}
