import type { Sql } from '@mentoring/db';
import { asc } from 'drizzle-orm';
import { categories } from './schema';

export type CategoryRow = typeof categories.$inferSelect;

export function listCategories(db: Sql): Promise<CategoryRow[]> {
  return db.drizzle.select().from(categories).orderBy(asc(categories.position));
}
