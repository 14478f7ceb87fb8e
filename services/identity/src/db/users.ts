import type { Sql } from '@mentoring/db';
import { eq, inArray, sql } from 'drizzle-orm';
import { onlyIds } from '../domain/ids';
import { users } from './schema';

export type UserRow = typeof users.$inferSelect;

/** Inserts a user; null when the email is taken. */
export async function insertUser(
  db: Sql,
  user: { email: string; passwordHash: string; displayName: string },
): Promise<UserRow | null> {
  const [row] = await db.drizzle
    .insert(users)
    .values(user)
    .onConflictDoNothing({ target: users.email })
    .returning();
  return row ?? null;
}

export async function findUserByEmail(db: Sql, email: string): Promise<UserRow | null> {
  const [row] = await db.drizzle.select().from(users).where(eq(users.email, email));
  return row ?? null;
}

export async function findUsers(db: Sql, ids: readonly string[]): Promise<UserRow[]> {
  const valid = onlyIds(ids);
  if (valid.length === 0) return [];
  return db.drizzle.select().from(users).where(inArray(users.id, valid));
}

export async function findUser(db: Sql, id: string): Promise<UserRow | null> {
  return (await findUsers(db, [id]))[0] ?? null;
}

/** Adds a platform role (idempotent); null when there is no such user. */
export async function addRole(db: Sql, userId: string, role: string): Promise<UserRow | null> {
  if (onlyIds([userId]).length === 0) return null;
  const [row] = await db.drizzle
    .update(users)
    .set({
      roles: sql`CASE WHEN ${role} = ANY(${users.roles}) THEN ${users.roles} ELSE array_append(${users.roles}, ${role}::text) END`,
    })
    .where(eq(users.id, userId))
    .returning();
  return row ?? null;
}

/**
 * Creates the user or updates their password, and makes them an operator, in
 * one statement: two instances starting at once end with the same single row.
 */
export async function upsertOperator(
  db: Sql,
  operator: { email: string; passwordHash: string; displayName: string },
): Promise<UserRow> {
  const [row] = await db.drizzle
    .insert(users)
    .values({ ...operator, roles: ['OPERATOR'] })
    .onConflictDoUpdate({
      target: users.email,
      set: {
        passwordHash: sql`excluded.password_hash`,
        roles: sql`CASE WHEN 'OPERATOR' = ANY(${users.roles}) THEN ${users.roles} ELSE array_append(${users.roles}, 'OPERATOR') END`,
      },
    })
    .returning();
  return row!;
}
