import type { Sql } from '@mentoring/db';
import { asc } from 'drizzle-orm';
import { categories } from './schema';

export type CategoryRow = typeof categories.$inferSelect;

export function listCategories(db: Sql): Promise<CategoryRow[]> {
  return db.drizzle.select().from(categories).orderBy(asc(categories.position));
}

/** The slugs offerings may use, in display order. */
export async function categorySlugs(db: Sql): Promise<ReadonlySet<string>> {
  const rows = await db.drizzle
    .select({ slug: categories.slug })
    .from(categories)
    .orderBy(asc(categories.position));
  return new Set(rows.map((r) => r.slug));
}
