import { randomUUID } from 'node:crypto';
import { fundsApi } from '@mentoring/internal-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, type FundsHarness, sponsorMember, startFunds, unique } from './support';

const MY_GRANTS = `query($id: ID!) { _entities(representations: [{ __typename: "User", id: $id }]) {
  ... on User { grants { id status amountCents balanceCents expiresAt program { id name } beneficiary { id }
    communityId eligibleCategories eligibleProviderIds eligibleOfferingIds spendDeadline } } } }`;
const GRANT_ENTITY = `query($id: ID!) { _entities(representations: [{ __typename: "Grant", id: $id }]) {
  ... on Grant { id communityId eligibleCategories eligibleProviderIds eligibleOfferingIds } } }`;
const IMPACT_REPORT = `query ImpactReport($fundId: ID!) { impactReport(fundId: $fundId) {
  contributedCents beneficiariesReached grantsIssued spentCents
  byCategory { category spentCents redemptions } byProvider { provider { id } spentCents redemptions } } }`;

let h: FundsHarness;

beforeAll(async () => {
  h = await startFunds('funds_grants');
});

describe("a user's grants", () => {
  it('are shown to the user holding them, with the spend rules catalog needs', async () => {
    const { programId } = await h.program({
      grantCents: 8_000,
      budgetCents: 16_000,
      eligibleProviderIds: ['provider-costa'],
    });
    const { grantId, holderUserId, beneficiaryId } = await h.activeGrant(programId);
    await h.internal(fundsApi.authorizePayment, {
      redemptionId: randomUUID(),
      grantId,
      providerId: 'provider-costa',
      offeringId: 'offering-enrollment',
      category: 'music',
      amountCents: 2_000,
    });
    const holder = await h.tokens.tokenFor({ userId: holderUserId });
    const data = await h.ok<{ _entities: [{ grants: Record<string, unknown>[] }] }>(
      MY_GRANTS,
      { id: holderUserId },
      holder,
    );
    expect(data._entities[0].grants).toEqual([
      {
        id: grantId,
        status: 'ACTIVE',
        amountCents: 8_000,
        balanceCents: 6_000,
        expiresAt: expect.stringMatching(/T23:59:59\.999Z$/),
        program: { id: programId, name: 'Mentoring 2.1' },
        beneficiary: { id: beneficiaryId },
        communityId: 'community-vigevano',
        eligibleCategories: [],
        eligibleProviderIds: ['provider-costa'],
        eligibleOfferingIds: [],
        spendDeadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      },
    ]);
  });

  it('are not shown to anyone else, not even operators', async () => {
    const { programId } = await h.program({ grantCents: 100, budgetCents: 100 });
    const { holderUserId } = await h.activeGrant(programId);
    const other = await h.tokens.tokenFor({ userId: 'someone-else' });
    expect(errorCodes(await h.gql(MY_GRANTS, { id: holderUserId }, { token: other }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await h.gql(MY_GRANTS, { id: holderUserId }, { token: h.operatorToken }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(errorCodes(await h.gql(MY_GRANTS, { id: holderUserId }))).toEqual(['UNAUTHENTICATED']);
  });

  it('resolve as entities for their holder (how catalog reads their spend rules), and for no stranger', async () => {
    const { programId } = await h.program({
      grantCents: 100,
      budgetCents: 100,
      eligibleCategories: ['sport'],
    });
    const { grantId, holderUserId } = await h.activeGrant(programId);
    const holder = await h.tokens.tokenFor({ userId: holderUserId });
    const data = await h.ok<{ _entities: unknown[] }>(GRANT_ENTITY, { id: grantId }, holder);
    expect(data._entities).toEqual([
      {
        id: grantId,
        communityId: 'community-vigevano',
        eligibleCategories: ['sport'],
        eligibleProviderIds: [],
        eligibleOfferingIds: [],
      },
    ]);
    const stranger = await h.tokens.tokenFor({ userId: 'stranger' });
    expect(errorCodes(await h.gql(GRANT_ENTITY, { id: grantId }, { token: stranger }))).toEqual([
      'FORBIDDEN',
    ]);
  });
});

describe('the impact report', () => {
  let fundId: string;
  let sponsorId: string;

  beforeAll(async () => {
    // Two sponsors: one gave 100 €, one pledged 50 € (not received yet), one pledged and cancelled.
    ({ fundId, sponsorId } = await h.fundHolding(10_000));
    await h.ok('mutation($input: RecordContributionInput!) { recordContribution(input: $input) { id } }', {
      input: { fundId, sponsorOrganizationId: 'sponsor-pledged', amountCents: 5_000, idempotencyKey: 'p-1' },
    });
    const cancelled = await h.ok<{ recordContribution: { id: string } }>(
      'mutation($input: RecordContributionInput!) { recordContribution(input: $input) { id } }',
      {
        input: {
          fundId,
          sponsorOrganizationId: 'sponsor-cancelled',
          amountCents: 5_000,
          idempotencyKey: 'c-1',
        },
      },
    );
    await h.ok('mutation($id: ID!) { cancelContribution(id: $id) { id } }', {
      id: cancelled.recordContribution.id,
    });

    // Three grants for two beneficiaries, from two programs.
    const music = await h.program({ grantCents: 3_000, budgetCents: 6_000 }, fundId);
    const sport = await h.program({ grantCents: 2_000, budgetCents: 2_000 }, fundId);
    const anna = unique('beneficiary-anna');
    const grantA = await h.activeGrant(music.programId, unique('user'), anna);
    const grantB = await h.activeGrant(music.programId);
    const grantC = await h.activeGrant(sport.programId, unique('user'), anna);

    const pay = async (
      grantId: string,
      providerId: string,
      category: string,
      amountCents: number,
      then: 'capture' | 'void' | 'refund' | 'hold',
      capturedCents = amountCents,
    ) => {
      const redemptionId = randomUUID();
      await h.internal(fundsApi.authorizePayment, {
        redemptionId,
        grantId,
        providerId,
        offeringId: unique('offering'),
        category,
        amountCents,
      });
      if (then === 'void') return h.internal(fundsApi.voidPayment, { redemptionId });
      if (then === 'hold') return;
      await h.internal(fundsApi.capturePayment, { redemptionId, amountCents: capturedCents });
      if (then === 'refund') await h.internal(fundsApi.refundPayment, { redemptionId });
    };
    await pay(grantA.grantId, 'provider-costa', 'music', 2_000, 'capture', 1_500);
    await pay(grantB.grantId, 'provider-costa', 'music', 1_000, 'capture');
    await pay(grantB.grantId, 'provider-costa', 'music', 500, 'refund');
    await pay(grantB.grantId, 'provider-teatro', 'theatre', 700, 'void');
    await pay(grantC.grantId, 'provider-palestra', 'sport', 2_000, 'capture', 1_800);
    await pay(grantA.grantId, 'provider-teatro', 'theatre', 1_000, 'hold');
  });

  it('sums what came in, who was reached and what was spent, by category and provider', async () => {
    const { impactReport } = await h.ok<{ impactReport: unknown }>(IMPACT_REPORT, { fundId });
    expect(impactReport).toEqual({
      contributedCents: 10_000,
      beneficiariesReached: 2,
      grantsIssued: 3,
      spentCents: 4_300,
      byCategory: [
        { category: 'music', spentCents: 2_500, redemptions: 2 },
        { category: 'sport', spentCents: 1_800, redemptions: 1 },
      ],
      byProvider: [
        { provider: { id: 'provider-costa' }, spentCents: 2_500, redemptions: 2 },
        { provider: { id: 'provider-palestra' }, spentCents: 1_800, redemptions: 1 },
      ],
    });
  });

  it('is shown to members of sponsors that gave or pledged, whatever their role', async () => {
    for (const viewer of [sponsorMember(sponsorId, 'STAFF'), sponsorMember('sponsor-pledged', 'ADMIN')]) {
      const res = await h.gql(IMPACT_REPORT, { fundId }, { token: await h.tokens.tokenFor(viewer) });
      expect(res.errors, viewer.userId).toBeUndefined();
    }
  });

  it('is refused to sponsors whose pledge was cancelled, to other users and to anonymous callers', async () => {
    for (const viewer of [
      sponsorMember('sponsor-cancelled'),
      sponsorMember('sponsor-elsewhere'),
      { userId: 'u' },
    ]) {
      const res = await h.gql(IMPACT_REPORT, { fundId }, { token: await h.tokens.tokenFor(viewer) });
      expect(errorCodes(res), viewer.userId).toEqual(['FORBIDDEN']);
    }
    expect(errorCodes(await h.gql(IMPACT_REPORT, { fundId }))).toEqual(['UNAUTHENTICATED']);
  });

  it('tells operators when the fund does not exist', async () => {
    const res = await h.gql(IMPACT_REPORT, { fundId: randomUUID() }, { token: h.operatorToken });
    expect(errorCodes(res)).toEqual(['NOT_FOUND']);
  });
});
