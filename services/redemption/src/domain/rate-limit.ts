import { UserError } from '@mentoring/subgraph-kit';
import type { Redis } from 'ioredis';

/** Counts a user's wrong redemption codes in Redis; too many within the window → RATE_LIMITED. */
export interface CodeAttempts {
  assertAllowed(userId: string): Promise<void>;
  recordWrong(userId: string): Promise<void>;
}

export function redisCodeAttempts(
  redis: Redis,
  { prefix, limit = 10, windowSeconds = 900 }: { prefix: string; limit?: number; windowSeconds?: number },
): CodeAttempts {
  const key = (userId: string) => `${prefix}:redemption:wrong-codes:${userId}`;
  return {
    async assertAllowed(userId) {
      const count = Number((await redis.get(key(userId))) ?? 0);
      if (count >= limit)
        throw new UserError('RATE_LIMITED', 'Too many wrong codes. Try again later.', {
          retryAfterSeconds: Math.max(1, await redis.ttl(key(userId))),
        });
    },
    async recordWrong(userId) {
      const count = await redis.incr(key(userId));
      if (count === 1) await redis.expire(key(userId), windowSeconds);
    },
  };
}
