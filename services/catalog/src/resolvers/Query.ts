import type { CatalogContext } from '../context';
import { listCategories } from '../db/categories';
import { canSeeOffering } from '../domain/access';
import { type OfferingFilterInput, queryFromFilter } from '../domain/listing';
import { offeringById } from '../loaders';
import { offeringConnection } from './connection';

interface OfferingsArgs {
  filter?: OfferingFilterInput | null;
  first?: number | null;
  after?: string | null;
}

export const Query = {
  categories: (_: unknown, __: unknown, { db }: CatalogContext) => listCategories(db),

  offerings: (_: unknown, { filter, first, after }: OfferingsArgs, ctx: CatalogContext) =>
    offeringConnection(ctx, queryFromFilter(filter), { first, after }),

  offering: async (_: unknown, { id }: { id: string }, ctx: CatalogContext) => {
    const offering = await offeringById(ctx).load(id);
    return offering && canSeeOffering(ctx.viewer, offering) ? offering : null;
  },
};
