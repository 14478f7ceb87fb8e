import { byKeys } from '@mentoring/subgraph-kit';
import type { {{Pascal}}Context } from '../context';
import { findItems, type Item } from '../db/items';

export const {{Pascal}}Item = {
  /** Batched: every reference the gateway sends in one request is loaded with one query. */
  __resolveReference: ({ id }: { id: string }, ctx: {{Pascal}}Context) =>
    ctx.loaders
      .get<string, Item | null>('itemById', async (ids) => byKeys(ids, await findItems(ctx.db, ids), (i) => i.id))
      .load(id),
};
