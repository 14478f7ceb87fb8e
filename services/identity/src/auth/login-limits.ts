import { createHash } from 'node:crypto';
import { UserError } from '@mentoring/subgraph-kit';
import type { Redis } from 'ioredis';

export interface LoginLimitOptions {
  /** Failed logins allowed per email address within the window. */
  perEmail: number;
  /** Failed logins allowed per IP address within the window. */
  perIp: number;
  windowSeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimitOptions = { perEmail: 10, perIp: 50, windowSeconds: 15 * 60 };

/**
 * Counts failed logins per email and per IP in Redis (fixed window from the
 * first failure). Emails are hashed so no address sits in Redis.
 */
export function createLoginLimiter(redis: Redis, prefix: string, options = DEFAULT_LOGIN_LIMITS) {
  const emailKey = (email: string) =>
    `${prefix}:identity:login-failures:email:${createHash('sha256').update(email).digest('hex')}`;
  const ipKey = (ip: string) => `${prefix}:identity:login-failures:ip:${ip}`;

  return {
    /** Throws RATE_LIMITED when this email or IP failed too often lately. */
    async check(email: string, ip: string): Promise<void> {
      const [byEmail, byIp] = await redis.mget(emailKey(email), ipKey(ip));
      if (Number(byEmail ?? 0) >= options.perEmail || Number(byIp ?? 0) >= options.perIp)
        throw new UserError('RATE_LIMITED', 'Too many failed attempts. Try again in a few minutes.');
    },
    async recordFailure(email: string, ip: string): Promise<void> {
      const multi = redis.multi();
      for (const key of [emailKey(email), ipKey(ip)]) {
        multi.set(key, 0, 'EX', options.windowSeconds, 'NX');
        multi.incr(key);
      }
      await multi.exec();
    },
    /** A successful login forgives the email's failures (not the IP's). */
    async recordSuccess(email: string): Promise<void> {
      await redis.del(emailKey(email));
    },
  };
}
export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
