import type { CatalogContext } from '../context';
import { listCategories } from '../db/categories';

export const Query = {
  categories: (_: unknown, __: unknown, { db }: CatalogContext) => listCategories(db),
};
