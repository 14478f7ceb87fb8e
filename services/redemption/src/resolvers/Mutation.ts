import { requireUser } from '@mentoring/subgraph-kit';
import type { RedemptionContext } from '../context';
import type { RedeemInput } from '../domain/eligibility';
import { cancelRedemption, refundRedemption, validateRedemption } from '../domain/lifecycle';
import { redeem } from '../domain/saga';

export const Mutation = {
  redeem: (_: unknown, args: { input: RedeemInput }, ctx: RedemptionContext) =>
    redeem(ctx.deps, requireUser(ctx.viewer), args.input),

  cancelRedemption: (_: unknown, args: { id: string }, ctx: RedemptionContext) =>
    cancelRedemption(ctx.deps, ctx.viewer, args.id),

  validateRedemption: (
    _: unknown,
    args: { code: string; amountCents?: number | null },
    ctx: RedemptionContext,
  ) => validateRedemption(ctx.deps, ctx.viewer, args.code, args.amountCents),

  refundRedemption: (_: unknown, args: { id: string }, ctx: RedemptionContext) =>
    refundRedemption(ctx.deps, ctx.viewer, args.id),
};
