// Test helpers over the platform (test/platform.ts).
import { errorCodes, testRedis } from '@mentoring/testing';
import { expect, inject } from 'vitest';
import { checkLedgerSnapshot } from '../../funds/src/domain/ledger/check';
import {
  openHolds,
  type Platform,
  redeemAs,
  redemptionsByStatus,
  seatsReserved,
  startPlatform,
  type User,
} from './platform';

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

/**
 * After a failure and recovery: nothing is left half-done, every live
 * redemption holds exactly one seat, every authorized one exactly one hold,
 * and the ledger's invariants hold. Returns the count of live redemptions.
 */
export async function expectNoOrphans(p: Platform, offeringId: string): Promise<number> {
  const byStatus = await redemptionsByStatus(p, offeringId);
  expect(byStatus.PENDING ?? 0).toBe(0);
  const live = (byStatus.AUTHORIZED ?? 0) + (byStatus.CONFIRMED ?? 0);
  expect(await seatsReserved(p, offeringId)).toBe(live);
  expect(await openHolds(p)).toBe(byStatus.AUTHORIZED ?? 0);
  const ledger = await checkLedgerSnapshot(p.databases.funds);
  expect(ledger.filter((r) => !r.ok)).toEqual([]);
  return live;
}
