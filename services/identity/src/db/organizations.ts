import type { Sql } from '@mentoring/db';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { isId, onlyIds } from '../domain/ids';
import { organizations } from './schema';

export type OrganizationRow = typeof organizations.$inferSelect;
export type OrganizationKind = OrganizationRow['kind'];

export async function insertOrganization(
  db: Sql,
  organization: Omit<typeof organizations.$inferInsert, 'id' | 'createdAt'>,
): Promise<OrganizationRow> {
  const [row] = await db.drizzle.insert(organizations).values(organization).returning();
  return row!;
}

export async function findOrganizations(db: Sql, ids: readonly string[]): Promise<OrganizationRow[]> {
  const valid = onlyIds(ids);
  if (valid.length === 0) return [];
  return db.drizzle.select().from(organizations).where(inArray(organizations.id, valid));
}

export async function findOrganization(db: Sql, id: string): Promise<OrganizationRow | null> {
  return (await findOrganizations(db, [id]))[0] ?? null;
}

/** A community's organizations (optionally of one kind), by name. */
export async function organizationsOfCommunity(
  db: Sql,
  communityId: string,
  kind?: OrganizationKind | null,
): Promise<OrganizationRow[]> {
  if (!isId(communityId)) return [];
  return db.drizzle
    .select()
    .from(organizations)
    .where(and(eq(organizations.communityId, communityId), kind ? eq(organizations.kind, kind) : undefined))
    .orderBy(asc(organizations.name), asc(organizations.id));
}
