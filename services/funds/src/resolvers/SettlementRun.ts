import type { FundsContext } from '../context';
import type { Payout as PayoutRow, SettlementRun as RunRow } from '../db/settlement';
import type { SkippedProvider as SkippedRow } from '../domain/settlement/rules';
import { iso, load } from './loaders';

export const SettlementRun = {
  payouts: (run: RunRow, _: unknown, ctx: FundsContext) => load(ctx).payoutsOfRun.load(run.id),
  totalCents: async (run: RunRow, _: unknown, ctx: FundsContext) =>
    (await load(ctx).payoutsOfRun.load(run.id))
      .filter((p) => p.status !== 'FAILED' || run.status !== 'FAILED')
      .reduce((sum, p) => sum + p.amountCents, 0),
  createdAt: (run: RunRow) => iso(run.createdAt),
  sepaXml: async (run: RunRow, _: unknown, ctx: FundsContext) =>
    (await load(ctx).settlementFiles.load(run.id))?.sepaXml ?? null,
  csv: async (run: RunRow, _: unknown, ctx: FundsContext) =>
    (await load(ctx).settlementFiles.load(run.id))?.csv ?? null,
};

export const Payout = {
  provider: (payout: PayoutRow) => ({ id: payout.providerId }),
  createdAt: (payout: PayoutRow) => iso(payout.createdAt),
};

export const SkippedProvider = {
  provider: (skipped: SkippedRow) => ({ id: skipped.providerId }),
};
