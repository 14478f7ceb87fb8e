import { notFound, requireOperator } from '@mentoring/subgraph-kit';
import type { FundsContext } from '../context';
import { runsOfCommunity } from '../db/settlement';
import { checkLedgerSnapshot } from '../domain/ledger/check';
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

  settlementRun: (_: unknown, { id }: { id: string }, ctx: FundsContext) => {
    requireOperator(ctx.viewer);
    return load(ctx).settlementRun.load(id);
  },

  settlementRuns: (_: unknown, { communityId }: { communityId: string }, ctx: FundsContext) => {
    requireOperator(ctx.viewer);
    return runsOfCommunity(ctx.db, communityId);
  },

  ledgerCheck: async (_: unknown, __: unknown, ctx: FundsContext) => {
    requireOperator(ctx.viewer);
    const invariants = (await checkLedgerSnapshot(ctx.db)).map((r) => ({
      name: r.name,
      ok: r.ok,
      details: r.details.length ? r.details.join('\n') : null,
    }));
    return { ok: invariants.every((i) => i.ok), invariants };
  },
};
