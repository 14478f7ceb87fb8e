import { byKeys } from '@mentoring/subgraph-kit';
import type { RedemptionContext } from '../context';
import { findRedemptions, type Redemption } from '../db/redemptions';

/** Redemptions by id, one query per request. */
export const loadRedemption = (ctx: RedemptionContext, id: string) =>
  ctx.loaders
    .get<string, Redemption | null>('redemption', async (ids) =>
      byKeys(ids, await findRedemptions(ctx.deps.db, ids), (r) => r.id),
    )
    .load(id);
