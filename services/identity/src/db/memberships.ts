import type { Sql } from '@mentoring/db';
import { eq, inArray } from 'drizzle-orm';
import { onlyIds } from '../domain/ids';
import { memberships, organizations } from './schema';

export type MemberRole = (typeof memberships.$inferSelect)['role'];

export interface MembershipRow {
  userId: string;
  organizationId: string;
  role: MemberRole;
  kind: (typeof organizations.$inferSelect)['kind'];
}

/** Every membership of these users, with the organization's kind. */
export async function membershipsOfUsers(db: Sql, userIds: readonly string[]): Promise<MembershipRow[]> {
  const valid = onlyIds(userIds);
  if (valid.length === 0) return [];
  return db.drizzle
    .select({
      userId: memberships.userId,
      organizationId: memberships.organizationId,
      role: memberships.role,
      kind: organizations.kind,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(inArray(memberships.userId, valid))
    .orderBy(memberships.createdAt);
}

/** Adds the user to the organization, or changes their role there. */
export async function upsertMembership(
  db: Sql,
  membership: { organizationId: string; userId: string; role: MemberRole },
): Promise<void> {
  await db.drizzle
    .insert(memberships)
    .values(membership)
    .onConflictDoUpdate({
      target: [memberships.organizationId, memberships.userId],
      set: { role: membership.role, updatedAt: new Date() },
    });
}
