import { randomUUID } from 'node:crypto';
import { fundsApi } from '@mentoring/internal-api';
import { createServiceTokens } from '@mentoring/subgraph-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FundsHarness, OPERATOR, outcome, startFunds } from './support';

let h: FundsHarness;
let programId: string;

beforeAll(async () => {
  h = await startFunds('funds_payments');
  ({ programId } = await h.program({
    grantCents: 8_000,
    budgetCents: 800_000,
    eligibleCategories: ['music', 'theatre'],
    eligibleProviderIds: ['provider-costa', 'provider-teatro'],
  }));
});

/** A purchase the program's spend rules allow. */
const purchase = (grantId: string, amountCents: number, redemptionId = randomUUID()) => ({
  redemptionId,
  grantId,
  providerId: 'provider-costa',
  offeringId: 'offering-enrollment',
  category: 'music',
  amountCents,
});

const balanceOf = async (grantId: string) => (await h.internal(fundsApi.getGrant, { grantId })).balanceCents;

describe('the internal API', () => {
  const post = (route: string, token?: string) =>
    fetch(`${h.url}/internal/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ grantId: randomUUID() }),
    });

  it('refuses anonymous callers and user tokens, even an operator’s', async () => {
    expect((await post('getGrant')).status).toBe(401);
    expect((await post('getGrant', await h.tokens.tokenFor(OPERATOR))).status).toBe(401);
  });

  it('refuses service tokens signed with another secret or addressed to another service', async () => {
    const forged = createServiceTokens('x'.repeat(40), 'redemption');
    expect((await post('getGrant', await forged.sign('funds'))).status).toBe(401);
    const elsewhere = createServiceTokens(h.secret, 'redemption');
    expect((await post('getGrant', await elsewhere.sign('catalog'))).status).toBe(401);
  });

  it('answers a service with a NOT_FOUND for an unknown grant', async () => {
    expect(await outcome(h.internal(fundsApi.getGrant, { grantId: randomUUID() }))).toBe('NOT_FOUND');
    expect(await outcome(h.internal(fundsApi.getGrant, { grantId: 'not-a-uuid' }))).toBe('NOT_FOUND');
  });

  it('describes a grant with its spend rules and balance', async () => {
    const { grantId, holderUserId, beneficiaryId } = await h.activeGrant(programId);
    expect(await h.internal(fundsApi.getGrant, { grantId })).toEqual({
      id: grantId,
      status: 'ACTIVE',
      holderUserId,
      beneficiaryId,
      programId,
      communityId: 'community-vigevano',
      amountCents: 8_000,
      balanceCents: 8_000,
      eligibleCategories: ['music', 'theatre'],
      eligibleProviderIds: ['provider-costa', 'provider-teatro'],
      eligibleOfferingIds: [],
      spendDeadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      expiresAt: expect.any(String),
    });
  });
});

describe('authorizing a payment', () => {
  it('holds the amount on the grant', async () => {
    const { grantId } = await h.activeGrant(programId);
    const result = await h.internal(fundsApi.authorizePayment, purchase(grantId, 3_000));
    expect(result).toEqual({ transferId: expect.any(String), grantBalanceCents: 5_000 });
    expect(await balanceOf(grantId)).toBe(5_000);
  });

  it('returns the first hold when the same redemption is authorized again', async () => {
    const { grantId } = await h.activeGrant(programId);
    const request = purchase(grantId, 3_000);
    const first = await h.internal(fundsApi.authorizePayment, request);
    const again = await h.internal(fundsApi.authorizePayment, request);
    expect(again).toEqual(first);
    expect(await balanceOf(grantId)).toBe(5_000);
  });

  it('refuses the same redemption with a different amount, provider or offering', async () => {
    const { grantId } = await h.activeGrant(programId);
    const request = purchase(grantId, 3_000);
    await h.internal(fundsApi.authorizePayment, request);
    for (const change of [
      { amountCents: 2_000 },
      { providerId: 'provider-teatro' },
      { offeringId: 'other' },
    ]) {
      expect(await outcome(h.internal(fundsApi.authorizePayment, { ...request, ...change }))).toBe(
        'IDEMPOTENCY_CONFLICT',
      );
    }
  });

  it('refuses more than the grant holds', async () => {
    const { grantId } = await h.activeGrant(programId);
    expect(await outcome(h.internal(fundsApi.authorizePayment, purchase(grantId, 8_001)))).toBe(
      'INSUFFICIENT_FUNDS',
    );
    await h.internal(fundsApi.authorizePayment, purchase(grantId, 6_000));
    expect(await outcome(h.internal(fundsApi.authorizePayment, purchase(grantId, 2_001)))).toBe(
      'INSUFFICIENT_FUNDS',
    );
    expect(await balanceOf(grantId)).toBe(2_000);
  });

  it('refuses a grant that has not been claimed yet', async () => {
    const grant = await h.activeGrant(programId);
    await h.db.query("UPDATE grants SET status = 'ISSUED', holder_user_id = NULL WHERE id = $1", [
      grant.grantId,
    ]);
    expect(await outcome(h.internal(fundsApi.authorizePayment, purchase(grant.grantId, 100)))).toBe(
      'NOT_ELIGIBLE',
    );
  });

  it('refuses purchases outside the spend rules', async () => {
    const { grantId } = await h.activeGrant(programId);
    const outside = [{ category: 'sport' }, { providerId: 'provider-palestra' }];
    for (const change of outside) {
      const request = { ...purchase(grantId, 100), ...change };
      expect(await outcome(h.internal(fundsApi.authorizePayment, request))).toBe('NOT_ELIGIBLE');
    }
  });

  it('refuses an unknown grant', async () => {
    expect(await outcome(h.internal(fundsApi.authorizePayment, purchase(randomUUID(), 100)))).toBe(
      'NOT_FOUND',
    );
  });
});

describe('capturing, voiding and refunding', () => {
  async function authorized(amountCents: number) {
    const { grantId } = await h.activeGrant(programId);
    const request = purchase(grantId, amountCents);
    await h.internal(fundsApi.authorizePayment, request);
    return { grantId, redemptionId: request.redemptionId };
  }

  it('captures for less than authorized and gives the rest back to the grant', async () => {
    const { grantId, redemptionId } = await authorized(8_000);
    const capture = await h.internal(fundsApi.capturePayment, { redemptionId, amountCents: 6_500 });
    expect(capture).toEqual({
      transferId: expect.any(String),
      capturedCents: 6_500,
      releasedCents: 1_500,
      grantBalanceCents: 1_500,
    });
    expect(await h.internal(fundsApi.capturePayment, { redemptionId, amountCents: 6_500 })).toMatchObject({
      transferId: capture.transferId,
      capturedCents: 6_500,
    });
    expect(await balanceOf(grantId)).toBe(1_500);
  });

  it('captures the whole amount when none is given', async () => {
    const { grantId, redemptionId } = await authorized(5_000);
    expect(await h.internal(fundsApi.capturePayment, { redemptionId })).toMatchObject({
      capturedCents: 5_000,
      releasedCents: 0,
    });
    expect(await balanceOf(grantId)).toBe(3_000);
  });

  it('refuses to capture more than authorized, or a second time for another amount', async () => {
    const { redemptionId } = await authorized(5_000);
    expect(await outcome(h.internal(fundsApi.capturePayment, { redemptionId, amountCents: 5_001 }))).toBe(
      'BAD_USER_INPUT',
    );
    await h.internal(fundsApi.capturePayment, { redemptionId, amountCents: 4_000 });
    expect(await outcome(h.internal(fundsApi.capturePayment, { redemptionId, amountCents: 3_000 }))).toBe(
      'IDEMPOTENCY_CONFLICT',
    );
  });

  it('voids a hold in full, once, and then neither captures nor refunds it', async () => {
    const { grantId, redemptionId } = await authorized(5_000);
    const voided = await h.internal(fundsApi.voidPayment, { redemptionId });
    expect(voided).toEqual({
      transferId: expect.any(String),
      releasedCents: 5_000,
      grantBalanceCents: 8_000,
    });
    expect(await h.internal(fundsApi.voidPayment, { redemptionId })).toMatchObject({
      transferId: voided.transferId,
    });
    expect(await outcome(h.internal(fundsApi.capturePayment, { redemptionId }))).toBe('ALREADY_FINAL');
    expect(await outcome(h.internal(fundsApi.refundPayment, { redemptionId }))).toBe('ALREADY_FINAL');
    expect(await balanceOf(grantId)).toBe(8_000);
  });

  it('will not void a captured payment', async () => {
    const { redemptionId } = await authorized(5_000);
    await h.internal(fundsApi.capturePayment, { redemptionId });
    expect(await outcome(h.internal(fundsApi.voidPayment, { redemptionId }))).toBe('ALREADY_FINAL');
  });

  it('refunds a captured payment to the grant with a new transfer, once', async () => {
    const { grantId, redemptionId } = await authorized(5_000);
    const capture = await h.internal(fundsApi.capturePayment, { redemptionId, amountCents: 4_000 });
    const refund = await h.internal(fundsApi.refundPayment, { redemptionId });
    expect(refund).toEqual({
      transferId: expect.any(String),
      refundedCents: 4_000,
      grantBalanceCents: 8_000,
    });
    expect(await h.internal(fundsApi.refundPayment, { redemptionId })).toMatchObject({
      transferId: refund.transferId,
    });
    expect(await balanceOf(grantId)).toBe(8_000);
    const [row] = await h.db.query<{ status: string }>('SELECT status FROM transfers WHERE id = $1', [
      capture.transferId,
    ]);
    expect(row?.status).toBe('POSTED');
  });

  it('will not refund a payment that was only authorized', async () => {
    const { redemptionId } = await authorized(5_000);
    expect(await outcome(h.internal(fundsApi.refundPayment, { redemptionId }))).toBe('BAD_USER_INPUT');
  });

  it('says when there is no authorization for the redemption', async () => {
    const redemptionId = randomUUID();
    // One call at a time: a refusal must not arrive before anyone awaits it (an unhandled rejection).
    for (const call of [
      () => h.internal(fundsApi.capturePayment, { redemptionId }),
      () => h.internal(fundsApi.voidPayment, { redemptionId }),
      () => h.internal(fundsApi.refundPayment, { redemptionId }),
    ])
      expect(await outcome(call())).toBe('NOT_FOUND');
  });

  it('leaves the ledger consistent after all of the above', async () => {
    await h.expectLedgerClean();
  });
});
