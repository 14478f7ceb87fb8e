import type { RedemptionContext } from '../context';
import type { Redemption as Row } from '../db/redemptions';
import { canSee, canSeeCode } from '../domain/access';
import { loadRedemption } from './loaders';

export const Redemption = {
  /** Other subgraphs (funds' `payment`) reach a redemption by id; only those who may see it get it. */
  __resolveReference: async (ref: { id: string }, ctx: RedemptionContext) => {
    const row = await loadRedemption(ctx, ref.id);
    return row && canSee(ctx.viewer, row) ? row : null;
  },
  code: (r: Row, _: unknown, ctx: RedemptionContext) => (canSeeCode(ctx.viewer, r) ? r.code : null),
  offering: (r: Row) => ({ __typename: 'Offering', id: r.offeringId }),
  grant: (r: Row) => ({ __typename: 'Grant', id: r.grantId }),
};
