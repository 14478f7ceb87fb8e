import type { Sql } from '@mentoring/db';
import { asc, inArray } from 'drizzle-orm';
import { onlyIds } from '../domain/ids';
import { communities } from './schema';

export type CommunityRow = typeof communities.$inferSelect;

/** Inserts a community; null when the slug is taken. */
export async function insertCommunity(db: Sql, community: { name: string; slug: string }) {
  const [row] = await db.drizzle
    .insert(communities)
    .values(community)
    .onConflictDoNothing({ target: communities.slug })
    .returning();
  return row ?? null;
}

export async function findCommunities(db: Sql, ids: readonly string[]): Promise<CommunityRow[]> {
  const valid = onlyIds(ids);
  if (valid.length === 0) return [];
  return db.drizzle.select().from(communities).where(inArray(communities.id, valid));
}

export function listCommunities(db: Sql): Promise<CommunityRow[]> {
  return db.drizzle.select().from(communities).orderBy(asc(communities.name));
}
