import { requireUser } from '@mentoring/subgraph-kit';
import type { FundsContext } from '../context';
import type { Fund as FundRow } from '../db/funds';
import { iso, load, requireFundAccess } from './loaders';

export const Fund = {
  __resolveReference: ({ id }: { id: string }, ctx: FundsContext) => {
    requireUser(ctx.viewer);
    return load(ctx).fund.load(id);
  },
  community: (fund: FundRow) => ({ id: fund.communityId }),
  balanceCents: async (fund: FundRow, _: unknown, ctx: FundsContext) => {
    await requireFundAccess(ctx, fund.id);
    return fund.balanceCents;
  },
  contributions: async (fund: FundRow, _: unknown, ctx: FundsContext) => {
    const access = await requireFundAccess(ctx, fund.id);
    const contributions = await load(ctx).contributionsOfFund.load(fund.id);
    return access.all
      ? contributions
      : contributions.filter((c) => access.sponsors.includes(c.sponsorOrganizationId));
  },
  programs: async (fund: FundRow, _: unknown, ctx: FundsContext) => {
    await requireFundAccess(ctx, fund.id);
    return load(ctx).programsOfFund.load(fund.id);
  },
  createdAt: (fund: FundRow) => iso(fund.createdAt),
};
