import type { CatalogContext } from '../context';
import { publishedOfferingsOf } from '../loaders';

export const Organization = {
  offerings: ({ id }: { id: string }, _: unknown, ctx: CatalogContext) => publishedOfferingsOf(ctx).load(id),
};
