// Who may see and act on a redemption.
import { isMember, isOperator, type Viewer } from '@mentoring/subgraph-kit';
import type { Redemption } from '../db/redemptions';

export const isHolder = (viewer: Viewer | null, r: Pick<Redemption, 'holderUserId'>) =>
  !!viewer && viewer.userId === r.holderUserId;

/** ADMIN or STAFF of the offering's provider (membership in the token). */
export const isProviderStaff = (viewer: Viewer | null, r: Pick<Redemption, 'providerId'>) =>
  isMember(viewer, r.providerId);

/** The holder, the provider's staff and operators see a redemption; nobody else learns it exists. */
export const canSee = (viewer: Viewer | null, r: Redemption) =>
  isHolder(viewer, r) || isProviderStaff(viewer, r) || isOperator(viewer);

/** The code is for the holder (to show) and the desk (to type); not for operators. */
export const canSeeCode = (viewer: Viewer | null, r: Redemption) =>
  isHolder(viewer, r) || isProviderStaff(viewer, r);
