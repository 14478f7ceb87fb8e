import { isOperator, requireUser } from '@mentoring/subgraph-kit';
import type { RedemptionContext } from '../context';
import { findByGrant } from '../db/redemptions';

export const Grant = {
  __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
  /** The holder recorded on each redemption: the grant's holder sees them; operators see all. */
  redemptions: (grant: { id: string }, _: unknown, ctx: RedemptionContext) => {
    const viewer = requireUser(ctx.viewer);
    return findByGrant(ctx.deps.db, grant.id, isOperator(viewer) ? undefined : viewer.userId);
  },
};
