// Wrong claim codes, counted in Redis per user and per IP over a fixed window.
import type { Redis } from 'ioredis';
import type { ClaimAttempts } from '../domain/grant-lifecycle';

export interface ClaimLimits {
  /** Wrong codes a user may try per window (default 5). */
  perUser: number;
  /** Wrong codes one IP address may try per window, all users together (default 20). */
  perIp: number;
  /** Default 15 minutes. */
  windowMs: number;
}

export const DEFAULT_CLAIM_LIMITS: ClaimLimits = { perUser: 5, perIp: 20, windowMs: 15 * 60_000 };

// Counts one attempt on both keys at once; the window starts with the first attempt.
const TAKE = `
local user = redis.call('INCR', KEYS[1])
if user == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ip = redis.call('INCR', KEYS[2])
if ip == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
return {user, ip}`;

const GIVE_BACK = `
for i = 1, 2 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
return 1`;

/**
 * Every attempt is counted before the code is looked at (so concurrent
 * guesses cannot slip past the limit); an attempt with a real code is given
 * back. Over the limit, no code is looked at until the window ends.
 */
export function createClaimAttempts(redis: Redis, prefix: string, limits: ClaimLimits): ClaimAttempts {
  const keys = (userId: string, ip: string) => [
    `${prefix}:claim-wrong:user:${userId}`,
    `${prefix}:claim-wrong:ip:${ip}`,
  ];
  return {
    async take(userId, ip) {
      const [user, byIp] = (await redis.eval(TAKE, 2, ...keys(userId, ip), limits.windowMs)) as [
        number,
        number,
      ];
      return user <= limits.perUser && byIp <= limits.perIp;
    },
    async giveBack(userId, ip) {
      await redis.eval(GIVE_BACK, 2, ...keys(userId, ip));
    },
  };
}
