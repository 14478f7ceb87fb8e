import { errorCodes } from '@mentoring/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openHolds,
  type Platform,
  redeemAs,
  redemptionsByStatus,
  seatsReserved,
  startTestPlatform,
} from './fixtures';

let p: Platform;
beforeAll(async () => {
  p = await startTestPlatform('redeem_race');
}, 120_000);
afterAll(() => p?.close());

describe('redeeming under concurrency', () => {
  it('gives 40 concurrent redemptions of 1000 on a grant of 8000 exactly 8 authorizations', async () => {
    const offering = await p.offering({ priceCents: 1000 });
    const grant = await p.activeGrant();
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        redeemAs(p, grant.holder, { grantId: grant.id, offeringId: offering.id }),
      ),
    );
    const authorized = results.filter((r) => r.data?.redeem.status === 'AUTHORIZED');
    const refusals = results.flatMap(errorCodes);
    expect(authorized).toHaveLength(8);
    expect(refusals).toEqual(Array(32).fill('INSUFFICIENT_FUNDS'));
    const [row] = await p.databases.funds.query<{ available: string }>(
      "SELECT credits_posted - debits_posted - debits_pending AS available FROM accounts WHERE id = 'grant:' || $1",
      [grant.id],
    );
    expect(Number(row?.available)).toBe(0);
    expect(await redemptionsByStatus(p, offering.id)).toEqual({ AUTHORIZED: 8, FAILED: 32 });
  }, 60_000);

  it('gives 200 holders racing for 50 seats exactly 50 seats', async () => {
    const offering = await p.offering({ priceCents: 2000, capacity: 50 });
    const grants = [];
    for (let i = 0; i < 200; i += 20)
      grants.push(...(await Promise.all(Array.from({ length: 20 }, () => p.activeGrant()))));
    const holdsBefore = await openHolds(p);
    const results = await Promise.all(
      grants.map((g) => redeemAs(p, g.holder, { grantId: g.id, offeringId: offering.id })),
    );
    expect(results.filter((r) => r.data?.redeem.status === 'AUTHORIZED')).toHaveLength(50);
    expect(results.flatMap(errorCodes)).toEqual(Array(150).fill('SOLD_OUT'));
    expect(await seatsReserved(p, offering.id)).toBe(50);
    expect((await openHolds(p)) - holdsBefore).toBe(50);
  }, 120_000);
});
