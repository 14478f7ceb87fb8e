import type { {{Pascal}}Context } from '../context';
import { findItem, listItems } from '../db/items';

export const Query = {
  {{camel}}Items: (_: unknown, __: unknown, { db }: {{Pascal}}Context) => listItems(db),
  {{camel}}Item: (_: unknown, { id }: { id: string }, { db }: {{Pascal}}Context) => findItem(db, id),
};
