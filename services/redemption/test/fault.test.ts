import { createFunds } from '@mentoring/funds';
import { errorCodes } from '@mentoring/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  expectNoOrphans,
  type Platform,
  redeemAs,
  redemptionsByStatus,
  seatsReserved,
  startTestPlatform,
} from './fixtures';

let p: Platform;
let restarted: { close(): Promise<void> } | undefined;
beforeAll(async () => {
  p = await startTestPlatform('redeem_fault');
}, 120_000);
afterAll(async () => {
  await restarted?.close();
  await p?.close();
});

describe('when funds goes down in the middle of redemptions', () => {
  it('leaves no orphan seat and no orphan hold once funds is back and recovery ran', async () => {
    const offering = await p.offering({ priceCents: 1000, capacity: 100 });
    const grants = await Promise.all(Array.from({ length: 60 }, () => p.activeGrant()));
    const fundsPort = Number(new URL(p.stack.urls.funds).port);

    // Redemptions keep coming while funds stops: some finish, some are caught half-way.
    const inFlight = grants.map(async (g, i) => {
      await new Promise((r) => setTimeout(r, i * 5));
      return redeemAs(p, g.holder, { grantId: g.id, offeringId: offering.id });
    });
    while ((await seatsReserved(p, offering.id)) < 5) await new Promise((r) => setTimeout(r, 2));
    await p.stack.subgraphs.funds.close();
    const results = await Promise.all(inFlight);
    const interrupted = results.filter((r) => errorCodes(r).includes('INTERNAL_SERVER_ERROR'));
    expect(interrupted.length).toBeGreaterThan(0);
    expect((await redemptionsByStatus(p, offering.id)).PENDING).toBeGreaterThan(0);

    // Funds comes back on the same database and port; recovery compensates what was left pending.
    const funds = await createFunds({
      exactDatabaseUrl: p.databaseUrls.funds,
      redisUrl: inject('redisUrl'),
      redisPrefix: p.stack.redisPrefix,
      serviceTokenSecret: p.stack.serviceTokenSecret,
      jwksUrl: `${p.stack.urls.identity}/.well-known/jwks.json`,
      production: false,
    });
    restarted = funds;
    await funds.listen({ port: fundsPort });
    const report = await p.redemption.maintenance.recoverStale({ staleMs: 0 });
    expect(report.failed).toBe(0);
    expect(report.compensated).toBeGreaterThan(0);

    await expectNoOrphans(p, offering.id);

    // And the platform works again.
    const fresh = await p.activeGrant();
    const after = await redeemAs(p, fresh.holder, { grantId: fresh.id, offeringId: offering.id });
    expect(after.data?.redeem.status).toBe('AUTHORIZED');
  }, 90_000);
});
