import { randomUUID } from 'node:crypto';
import { errorCodes } from '@mentoring/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorized,
  BY_CODE,
  CANCEL,
  CANCEL_AT_DESK,
  MY_GRANTS,
  openHolds,
  type Platform,
  PROVIDER_REDEMPTIONS,
  REFUND,
  redeemAs,
  seatsReserved,
  startTestPlatform,
  VALIDATE,
} from './fixtures';

let p: Platform;
beforeAll(async () => {
  p = await startTestPlatform('redeem');
}, 120_000);
afterAll(() => p?.close());

interface MyGrants {
  me: { grants: { id: string; balanceCents: number; redemptions: { id: string; status: string }[] }[] };
}
const myGrant = async (grantId: string, token: string) =>
  (await p.gql<MyGrants>(MY_GRANTS, {}, { token })).data?.me.grants.find((g) => g.id === grantId);
const balanceOf = async (grantId: string, token: string) => (await myGrant(grantId, token))?.balanceCents;

describe('redeeming a grant', () => {
  it('reserves a seat, holds the price and hands out an 8-character code', async () => {
    const offering = await p.offering({ priceCents: 8000, capacity: 10 });
    const grant = await p.activeGrant();
    const redemption = await authorized(p, grant.holder, { grantId: grant.id, offeringId: offering.id });
    expect(redemption).toMatchObject({
      status: 'AUTHORIZED',
      amountCents: 8000,
      offering: { id: offering.id, title: offering.title, seatsLeft: 9 },
      grant: { id: grant.id, balanceCents: 0 },
    });
    expect(redemption.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
  });

  it('holds less than the price for a co-payment', async () => {
    const offering = await p.offering({ priceCents: 8000 });
    const grant = await p.activeGrant();
    const redemption = await authorized(p, grant.holder, {
      grantId: grant.id,
      offeringId: offering.id,
      amountCents: 5000,
    });
    expect(redemption).toMatchObject({ amountCents: 5000, grant: { balanceCents: 3000 } });
  });

  it('returns the same redemption for the same key and input, and refuses the key for another input', async () => {
    const offering = await p.offering({ priceCents: 3000 });
    const grant = await p.activeGrant();
    const idempotencyKey = randomUUID();
    const first = await authorized(p, grant.holder, {
      grantId: grant.id,
      offeringId: offering.id,
      idempotencyKey,
    });
    const again = await authorized(p, grant.holder, {
      grantId: grant.id,
      offeringId: offering.id,
      idempotencyKey,
    });
    expect(again.id).toBe(first.id);
    expect(again.code).toBe(first.code);
    expect(again.grant.balanceCents).toBe(5000);
    const other = await redeemAs(p, grant.holder, {
      grantId: grant.id,
      offeringId: offering.id,
      idempotencyKey,
      amountCents: 1000,
    });
    expect(errorCodes(other)).toEqual(['IDEMPOTENCY_CONFLICT']);
  });

  describe('refuses', () => {
    it('anyone but the holder of the grant', async () => {
      const offering = await p.offering();
      const grant = await p.activeGrant();
      const stranger = await p.signUp('stranger');
      const res = await redeemAs(p, stranger, { grantId: grant.id, offeringId: offering.id });
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    });

    it('an offering that is not published', async () => {
      const draft = await p.offering({ publish: false });
      const grant = await p.activeGrant();
      const res = await redeemAs(p, grant.holder, { grantId: grant.id, offeringId: draft.id });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    });

    it("an offering outside the program's spend rules", async () => {
      const theatreOnly = await p.program({ eligibleCategories: ['theatre'] });
      const grant = await p.activeGrant({ programId: theatreOnly });
      const music = await p.offering({ category: 'music' });
      const res = await redeemAs(p, grant.holder, { grantId: grant.id, offeringId: music.id });
      expect(errorCodes(res)).toEqual(['NOT_ELIGIBLE']);
    });

    it('a beneficiary too young or too old for the offering', async () => {
      const teens = await p.offering({ minAge: 13, maxAge: 17 });
      const child = await p.activeGrant({ birthDate: isoYearsAgo(9) });
      const adult = await p.activeGrant({ birthDate: isoYearsAgo(25) });
      const teen = await p.activeGrant({ birthDate: isoYearsAgo(15) });
      expect(
        errorCodes(await redeemAs(p, child.holder, { grantId: child.id, offeringId: teens.id })),
      ).toEqual(['NOT_ELIGIBLE']);
      expect(
        errorCodes(await redeemAs(p, adult.holder, { grantId: adult.id, offeringId: teens.id })),
      ).toEqual(['NOT_ELIGIBLE']);
      await authorized(p, teen.holder, { grantId: teen.id, offeringId: teens.id });
    });

    it('an amount above the price, or not positive', async () => {
      const offering = await p.offering({ priceCents: 4000 });
      const grant = await p.activeGrant();
      for (const amountCents of [4001, 0, -5]) {
        const res = await redeemAs(p, grant.holder, {
          grantId: grant.id,
          offeringId: offering.id,
          amountCents,
        });
        expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      }
    });

    it('a sold-out offering, leaving no hold behind', async () => {
      const offering = await p.offering({ capacity: 1, priceCents: 1000 });
      const first = await p.activeGrant();
      const second = await p.activeGrant();
      await authorized(p, first.holder, { grantId: first.id, offeringId: offering.id });
      const res = await redeemAs(p, second.holder, { grantId: second.id, offeringId: offering.id });
      expect(errorCodes(res)).toEqual(['SOLD_OUT']);
      expect(await balanceOf(second.id, second.holder.token)).toBe(8000);
    });

    it('more than the balance, leaving no seat behind', async () => {
      const offering = await p.offering({ priceCents: 8000, capacity: 5 });
      const cheap = await p.offering({ priceCents: 1000 });
      const grant = await p.activeGrant();
      await authorized(p, grant.holder, { grantId: grant.id, offeringId: cheap.id });
      const res = await redeemAs(p, grant.holder, { grantId: grant.id, offeringId: offering.id });
      expect(errorCodes(res)).toEqual(['INSUFFICIENT_FUNDS']);
      expect(await seatsReserved(p, offering.id)).toBe(0);
    });

    it('the same refusal again for the same key', async () => {
      const offering = await p.offering({ priceCents: 9000 });
      const grant = await p.activeGrant();
      const idempotencyKey = randomUUID();
      const input = { grantId: grant.id, offeringId: offering.id, idempotencyKey };
      expect(errorCodes(await redeemAs(p, grant.holder, input))).toEqual(['INSUFFICIENT_FUNDS']);
      expect(errorCodes(await redeemAs(p, grant.holder, input))).toEqual(['INSUFFICIENT_FUNDS']);
    });
  });
});

describe('at the desk', () => {
  it('validates a code for less: the rest goes back to the grant', async () => {
    const offering = await p.offering({ priceCents: 8000 });
    const grant = await p.activeGrant();
    const redemption = await authorized(p, grant.holder, { grantId: grant.id, offeringId: offering.id });
    const res = await p.gql<{ validateRedemption: { status: string; amountCents: number } }>(
      VALIDATE,
      { code: redemption.code!.toLowerCase(), amountCents: 6000 },
      { token: p.providerStaff.token },
    );
    expect(res.data?.validateRedemption).toEqual({
      id: redemption.id,
      status: 'CONFIRMED',
      amountCents: 6000,
      offering: { id: offering.id, title: offering.title },
    });
    expect(await balanceOf(grant.id, grant.holder.token)).toBe(2000);
    const twice = await p.gql(VALIDATE, { code: redemption.code }, { token: p.providerStaff.token });
    expect(errorCodes(twice)).toEqual(['ALREADY_FINAL']);
  });

  it('refuses an amount above the authorized one', async () => {
    const offering = await p.offering({ priceCents: 8000 });
    const grant = await p.activeGrant();
    const r = await authorized(p, grant.holder, {
      grantId: grant.id,
      offeringId: offering.id,
      amountCents: 5000,
    });
    const res = await p.gql(VALIDATE, { code: r.code, amountCents: 5001 }, { token: p.providerStaff.token });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it("answers NOT_FOUND to another provider's staff, as for a code that does not exist", async () => {
    const offering = await p.offering();
    const grant = await p.activeGrant();
    const r = await authorized(p, grant.holder, { grantId: grant.id, offeringId: offering.id });
    const other = await p.gql(VALIDATE, { code: r.code }, { token: p.otherProviderStaff.token });
    expect(errorCodes(other)).toEqual(['NOT_FOUND']);
    const lookup = await p.gql(BY_CODE, { code: r.code }, { token: p.otherProviderStaff.token });
    expect(errorCodes(lookup)).toEqual(['NOT_FOUND']);
    const own = await p.gql<{ redemptionByCode: { id: string; code: string } }>(
      BY_CODE,
      { code: r.code },
      { token: p.providerStaff.token },
    );
    expect(own.data?.redemptionByCode).toMatchObject({ id: r.id, code: r.code, status: 'AUTHORIZED' });
  });

  it('rate-limits wrong codes per user', async () => {
    const guesser = await p.signUp('guesser');
    const codes: unknown[] = [];
    for (let i = 0; i < 11; i++)
      codes.push(...errorCodes(await p.gql(VALIDATE, { code: 'ZZZZZZZZ' }, { token: guesser.token })));
    expect(codes.slice(0, 10)).toEqual(Array(10).fill('NOT_FOUND'));
    expect(codes[10]).toBe('RATE_LIMITED');
  });

  it('refunds a validated redemption: money back to the grant, seat freed', async () => {
    const offering = await p.offering({ priceCents: 8000, capacity: 3 });
    const grant = await p.activeGrant();
    const r = await authorized(p, grant.holder, { grantId: grant.id, offeringId: offering.id });
    await p.gql(VALIDATE, { code: r.code }, { token: p.providerStaff.token });
    const res = await p.gql<{ refundRedemption: { status: string } }>(
      REFUND,
      { id: r.id },
      { token: p.providerStaff.token },
    );
    expect(res.data?.refundRedemption).toMatchObject({ status: 'REFUNDED', amountCents: 8000 });
    expect(await balanceOf(grant.id, grant.holder.token)).toBe(8000);
    expect(await seatsReserved(p, offering.id)).toBe(0);
  });

  it("lists the provider's redemptions for its staff, filtered by status", async () => {
    const offering = await p.offering();
    const grant = await p.activeGrant();
    const r = await authorized(p, grant.holder, { grantId: grant.id, offeringId: offering.id });
    const res = await p.gql<{ providerRedemptions: { id: string; status: string }[] }>(
      PROVIDER_REDEMPTIONS,
      { providerId: p.providerId, status: 'AUTHORIZED' },
      { token: p.providerStaff.token },
    );
    expect(res.data?.providerRedemptions.map((x) => x.id)).toContain(r.id);
    expect(res.data?.providerRedemptions.every((x) => x.status === 'AUTHORIZED')).toBe(true);
    const outsider = await p.gql(
      PROVIDER_REDEMPTIONS,
      { providerId: p.providerId },
      { token: grant.holder.token },
    );
    expect(errorCodes(outsider)).toEqual(['FORBIDDEN']);
  });
});

describe('cancelling', () => {
  it('frees the seat and the hold, once', async () => {
    const offering = await p.offering({ priceCents: 8000, capacity: 2 });
    const grant = await p.activeGrant();
    const r = await authorized(p, grant.holder, { grantId: grant.id, offeringId: offering.id });
    const res = await p.gql<{ cancelRedemption: { status: string; grant: { balanceCents: number } } }>(
      CANCEL,
      { id: r.id },
      { token: grant.holder.token },
    );
    expect(res.data?.cancelRedemption).toMatchObject({ status: 'CANCELLED', grant: { balanceCents: 8000 } });
    expect(await seatsReserved(p, offering.id)).toBe(0);
    expect(errorCodes(await p.gql(CANCEL, { id: r.id }, { token: grant.holder.token }))).toEqual([
      'ALREADY_FINAL',
    ]);
    expect(errorCodes(await p.gql(VALIDATE, { code: r.code }, { token: p.providerStaff.token }))).toEqual([
      'ALREADY_FINAL',
    ]);
  });

  it("is open to the provider's staff, and hidden from everyone else", async () => {
    const offering = await p.offering();
    const grant = await p.activeGrant();
    const r = await authorized(p, grant.holder, { grantId: grant.id, offeringId: offering.id });
    const stranger = await p.signUp('stranger');
    expect(errorCodes(await p.gql(CANCEL, { id: r.id }, { token: stranger.token }))).toEqual(['NOT_FOUND']);
    const res = await p.gql<{ cancelRedemption: { status: string } }>(
      CANCEL_AT_DESK,
      { id: r.id },
      { token: p.providerStaff.token },
    );
    expect(res.data?.cancelRedemption.status).toBe('CANCELLED');
  });

  it("lists the grant's redemptions for its holder only", async () => {
    const offering = await p.offering({ priceCents: 1000 });
    const grant = await p.activeGrant();
    const r = await authorized(p, grant.holder, { grantId: grant.id, offeringId: offering.id });
    const mine = await myGrant(grant.id, grant.holder.token);
    expect(mine?.redemptions).toEqual([{ id: r.id, status: 'AUTHORIZED' }]);
  });
});

describe('expiry', () => {
  it('voids and releases authorizations not validated in time, once even when run twice at once', async () => {
    const offering = await p.offering({ priceCents: 8000, capacity: 4 });
    const grant = await p.activeGrant();
    const r = await authorized(p, grant.holder, { grantId: grant.id, offeringId: offering.id });
    const later = new Date(Date.now() + 31 * 86_400_000);
    const runs = await Promise.all([
      p.redemption.maintenance.expireDue({ now: later }),
      p.redemption.maintenance.expireDue({ now: later }),
    ]);
    expect(runs[0]! + runs[1]!).toBeGreaterThanOrEqual(1);
    const [row] = await p.databases.redemption.query<{ status: string }>(
      'SELECT status FROM redemptions WHERE id = $1',
      [r.id],
    );
    expect(row?.status).toBe('EXPIRED');
    expect(await seatsReserved(p, offering.id)).toBe(0);
    expect(await balanceOf(grant.id, grant.holder.token)).toBe(8000);
    const events = await p.databases.redemption.query<{ type: string }>(
      "SELECT type FROM outbox WHERE payload->>'redemptionId' = $1 ORDER BY created_at",
      [r.id],
    );
    expect(events.map((e) => e.type)).toEqual(['redemption.authorized', 'redemption.expired']);
    expect(await openHolds(p)).toBeGreaterThanOrEqual(0);
  });
});

function isoYearsAgo(years: number): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - 10);
  return d.toISOString().slice(0, 10);
}
