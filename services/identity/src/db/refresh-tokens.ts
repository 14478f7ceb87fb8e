import type { Sql } from '@mentoring/db';
import { and, eq, isNull } from 'drizzle-orm';
import { refreshTokens } from './schema';

export type RefreshTokenRow = typeof refreshTokens.$inferSelect;

export async function insertRefreshToken(
  db: Sql,
  token: { userId: string; familyId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.drizzle.insert(refreshTokens).values(token);
}

/** The token with this hash, locked until the transaction ends (rotations of one token queue up). */
export async function lockRefreshToken(tx: Sql, tokenHash: string): Promise<RefreshTokenRow | null> {
  const [row] = await tx.drizzle
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .for('update');
  return row ?? null;
}

export async function markRotated(tx: Sql, id: string): Promise<void> {
  await tx.drizzle.update(refreshTokens).set({ rotatedAt: new Date() }).where(eq(refreshTokens.id, id));
}

/** Ends a sign-in everywhere: no token of the family can be used again. */
export async function revokeFamily(tx: Sql, familyId: string): Promise<void> {
  await tx.drizzle
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}
