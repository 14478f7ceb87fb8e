import type { FundsContext } from '../context';
import type { Contribution as ContributionRow } from '../db/funds';
import { iso, load } from './loaders';

export const Contribution = {
  fund: (c: ContributionRow, _: unknown, ctx: FundsContext) => load(ctx).fund.load(c.fundId),
  sponsor: (c: ContributionRow) => ({ id: c.sponsorOrganizationId }),
  createdAt: (c: ContributionRow) => iso(c.createdAt),
  receivedAt: (c: ContributionRow) => iso(c.receivedAt),
};
