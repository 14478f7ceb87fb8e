import { randomUUID } from 'node:crypto';
import type { Database, Sql } from '@mentoring/db';
import { unauthenticated } from '@mentoring/subgraph-kit';
import { membershipsOfUsers } from '../db/memberships';
import { insertRefreshToken, lockRefreshToken, markRotated, revokeFamily } from '../db/refresh-tokens';
import { findUser } from '../db/users';
import { hashRefreshToken, newRefreshToken } from '../domain/refresh-tokens';
import type { AccessTokenSigner, TokenSubject } from './access-tokens';

export interface Tokens {
  token: string;
  refreshToken: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Sign-in sessions: an access token plus a rotating refresh token. Each
 * refresh token works once; presenting one that was already exchanged
 * (stolen, or replayed) revokes every token of that sign-in.
 */
export function createSessions(db: Database, signAccessToken: AccessTokenSigner, refreshTtlDays: number) {
  async function accessTokenFor(userId: string): Promise<string> {
    const [user, memberships] = await Promise.all([findUser(db, userId), membershipsOfUsers(db, [userId])]);
    if (!user) throw unauthenticated('Your session has ended. Please sign in again.');
    const subject: TokenSubject = { userId, roles: user.roles, memberships };
    return signAccessToken(subject);
  }

  async function storeRefreshToken(sql: Sql, userId: string, familyId: string): Promise<string> {
    const refreshToken = newRefreshToken();
    await insertRefreshToken(sql, {
      userId,
      familyId,
      tokenHash: hashRefreshToken(refreshToken),
      expiresAt: new Date(Date.now() + refreshTtlDays * DAY_MS),
    });
    return refreshToken;
  }

  return {
    /** A new sign-in (a new refresh-token family). */
    async start(userId: string): Promise<Tokens> {
      const refreshToken = await storeRefreshToken(db, userId, randomUUID());
      return { token: await accessTokenFor(userId), refreshToken };
    },

    /** Exchanges a refresh token for new tokens (with the user's current roles and memberships). */
    async refresh(presented: string): Promise<Tokens & { userId: string }> {
      const outcome = await db.transaction(async (tx) => {
        const row = await lockRefreshToken(tx, hashRefreshToken(presented));
        if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) return null;
        if (row.rotatedAt) {
          // Reuse of an exchanged token: whoever holds the family, it is no longer safe.
          await revokeFamily(tx, row.familyId);
          return null;
        }
        await markRotated(tx, row.id);
        return { userId: row.userId, refreshToken: await storeRefreshToken(tx, row.userId, row.familyId) };
      });
      if (!outcome) throw unauthenticated('Your session has ended. Please sign in again.');
      return { ...outcome, token: await accessTokenFor(outcome.userId) };
    },
  };
}
export type Sessions = ReturnType<typeof createSessions>;
