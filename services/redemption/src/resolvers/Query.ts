import { requireMember } from '@mentoring/subgraph-kit';
import type { RedemptionContext } from '../context';
import { findByProvider, type RedemptionStatus } from '../db/redemptions';
import { redemptionByCode } from '../domain/lifecycle';

export const Query = {
  redemptionByCode: (_: unknown, args: { code: string }, ctx: RedemptionContext) =>
    redemptionByCode(ctx.deps, ctx.viewer, args.code),

  providerRedemptions: (
    _: unknown,
    args: { providerId: string; status?: RedemptionStatus | null },
    ctx: RedemptionContext,
  ) => {
    requireMember(ctx.viewer, args.providerId);
    return findByProvider(ctx.deps.db, args.providerId, args.status ?? undefined);
  },
};
