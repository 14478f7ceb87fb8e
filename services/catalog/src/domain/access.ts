import { forbidden, isOperator, requireUser, type Viewer } from '@mentoring/subgraph-kit';
import type { Offering } from './offering';

/** Operators, and the ADMIN or STAFF members of the provider (membership kind PROVIDER). */
export function canManageProvider(viewer: Viewer | null, providerId: string): boolean {
  if (!viewer) return false;
  if (isOperator(viewer)) return true;
  return viewer.memberships.some(
    (m) =>
      m.organizationId === providerId && m.kind === 'PROVIDER' && (m.role === 'ADMIN' || m.role === 'STAFF'),
  );
}

/** Anonymous callers are UNAUTHENTICATED; anyone but the provider's staff and operators is FORBIDDEN. */
export function requireProviderStaff(viewer: Viewer | null, providerId: string): Viewer {
  const user = requireUser(viewer);
  if (!canManageProvider(user, providerId))
    throw forbidden("Only this provider's staff and operators can manage its offerings.");
  return user;
}

/**
 * Published and archived offerings are public (archived ones still appear in
 * past redemptions); drafts only to their provider's staff and operators.
 */
export function canSeeOffering(viewer: Viewer | null, offering: Pick<Offering, 'status' | 'providerId'>) {
  return offering.status !== 'DRAFT' || canManageProvider(viewer, offering.providerId);
}
