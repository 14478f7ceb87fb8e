// Test helpers over the platform (test/platform.ts).
import { errorCodes, testRedis } from '@mentoring/testing';
import { expect, inject } from 'vitest';
import { type Platform, redeemAs, startPlatform, type User } from './platform';

export * from './platform';

/** The platform on this run's PostgreSQL and Redis (keys removed after the file). */
export function startTestPlatform(label: string) {
  const { redisUrl, prefix } = testRedis(label);
  return startPlatform({ postgresUrl: inject('postgresUrl'), redisUrl, redisPrefix: prefix, label });
}

/** A redemption that must succeed. */
export async function authorized(p: Platform, holder: User, input: Parameters<typeof redeemAs>[2]) {
  const res = await redeemAs(p, holder, input);
  expect(errorCodes(res)).toEqual([]);
  return res.data!.redeem;
}
