import type { Sql } from '@mentoring/db';
import { asc, eq, inArray } from 'drizzle-orm';
import { items } from './schema';

export type Item = typeof items.$inferSelect;

export function listItems(db: Sql): Promise<Item[]> {
  return db.drizzle.select().from(items).orderBy(asc(items.createdAt), asc(items.id)).limit(100);
}

export function findItems(db: Sql, ids: readonly string[]): Promise<Item[]> {
  return db.drizzle
    .select()
    .from(items)
    .where(inArray(items.id, [...ids]));
}

export async function addItem(db: Sql, item: { name: string; createdBy: string }): Promise<Item> {
  const [row] = await db.drizzle.insert(items).values(item).returning();
  return row!;
}

export async function findItem(db: Sql, id: string): Promise<Item | null> {
  const [row] = await db.drizzle.select().from(items).where(eq(items.id, id));
  return row ?? null;
}
