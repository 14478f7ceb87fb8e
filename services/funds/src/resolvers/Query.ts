import { notFound } from '@mentoring/subgraph-kit';
import type { FundsContext } from '../context';
import { impactReport } from '../domain/reporting';
import { load, requireFundAccess } from './loaders';

export const Query = {
  fund: async (_: unknown, { id }: { id: string }, ctx: FundsContext) => {
    await requireFundAccess(ctx, id);
    const fund = await load(ctx).fund.load(id);
    if (!fund) throw notFound('Fund');
    return fund;
  },

  impactReport: async (_: unknown, { fundId }: { fundId: string }, ctx: FundsContext) => {
    await requireFundAccess(ctx, fundId);
    const fund = await load(ctx).fund.load(fundId);
    if (!fund) throw notFound('Fund');
    return impactReport(ctx.db, fund.id);
  },
};
