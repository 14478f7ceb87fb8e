// Settlement tests' town: the grant world (real identity in-process) plus
// providers with and without an IBAN, a second operator, and captured
// payments made cheaply through the funds domain (authorize + capture).
import { randomUUID } from 'node:crypto';
import { graphqlClient } from '@mentoring/testing';
import { expect } from 'vitest';
import type { FundsOptions } from '../src/app';
import { openGrant } from '../src/domain/grants';
import { authorizePayment, capturePayment } from '../src/domain/payments';
import { type GrantWorld, startGrantWorld, unique } from './grant-world';

export const IBANS = ['IT60X0542811101000000123456', 'DE89370400440532013000', 'GB82WEST12345698765432'];

export async function startSettlementWorld(label: string, fundsOptions: Partial<FundsOptions> = {}) {
  const w: GrantWorld = await startGrantWorld(label, {
    outboxRelay: true,
    settlementHoldDays: 0,
    ...fundsOptions,
  });
  const idGql = graphqlClient(`${w.identityUrl}/graphql`);
  const idOk = async <D>(
    query: string,
    variables: Record<string, unknown>,
    token = w.operator,
  ): Promise<D> => {
    const res = await idGql<D>(query, variables, { token });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data as D;
  };

  /** A second operator (four eyes). */
  const person = await w.signUp('second-operator');
  await idOk('mutation ($id: ID!) { grantOperator(userId: $id) { id } }', { id: person.id });
  const { refreshToken } = await idOk<{ refreshToken: { token: string } }>(
    'mutation ($r: String!) { refreshToken(refreshToken: $r) { token refreshToken } }',
    { r: person.refreshToken },
  );
  const operator2 = refreshToken.token;

  async function community(name = 'Mortara') {
    return (
      await idOk<{ createCommunity: { id: string } }>(
        'mutation ($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }',
        { input: { name, slug: unique('town') } },
      )
    ).createCommunity.id;
  }

  async function provider(communityId: string, name: string, iban: string | null) {
    return (
      await idOk<{ createOrganization: { id: string } }>(
        'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
        { input: { communityId, name, kind: 'PROVIDER', ...(iban ? { iban } : {}) } },
      )
    ).createOrganization.id;
  }

  /** A program with a large budget whose grants can be spent anywhere. */
  const { programId } = await w.program({ grantCents: 100_000, budgetCents: 100_000_000 });

  /** An ACTIVE grant; returns its id and holder. */
  async function grant(holderUserId = unique('holder')) {
    const g = await openGrant(w.db, {
      programId,
      beneficiaryId: unique('beneficiary'),
      holderUserId,
      issuedBy: 'test',
      referrerOrganizationId: w.school,
    });
    return { grantId: g.id, holderUserId };
  }

  /** A captured payment of `cents` to the provider; returns the redemption id. */
  async function capture(providerId: string, cents: number, grantId?: string) {
    const redemptionId = randomUUID();
    const id = grantId ?? (await grant()).grantId;
    await authorizePayment(w.db, {
      redemptionId,
      grantId: id,
      providerId,
      offeringId: 'offering-1',
      category: 'music',
      amountCents: cents,
    });
    await capturePayment(w.db, { redemptionId });
    return redemptionId;
  }

  const RUN_FIELDS = `id status periodEnd totalCents failureReason createdBy approvedBy createdAt sepaXml csv
    payouts { id status amountCents redemptionCount iban bankReference provider { id } }
    skippedProviders { provider { id } reason amountCents }`;

  async function startRun(communityId: string, key = unique('run'), token = w.operator) {
    return (
      await w.ok<{ runSettlement: Run }>(
        `mutation ($input: RunSettlementInput!) { runSettlement(input: $input) { ${RUN_FIELDS} } }`,
        { input: { communityId, periodEnd: new Date().toISOString().slice(0, 10), idempotencyKey: key } },
        token,
      )
    ).runSettlement;
  }

  async function run(id: string) {
    return (
      await w.ok<{ settlementRun: Run }>(`query ($id: ID!) { settlementRun(id: $id) { ${RUN_FIELDS} } }`, {
        id,
      })
    ).settlementRun;
  }

  /** Polls until the run leaves QUEUED/RUNNING. */
  async function settled(id: string, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await run(id);
      if (r.status !== 'QUEUED' && r.status !== 'RUNNING') return r;
      if (Date.now() > deadline) throw new Error(`run ${id} is still ${r.status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function approve(id: string, token = operator2) {
    return w.gql<{ approveSettlementRun: Run }>(
      `mutation ($id: ID!) { approveSettlementRun(id: $id) { ${RUN_FIELDS} } }`,
      { id },
      { token },
    );
  }

  return {
    ...w,
    idOk,
    operator2,
    community,
    provider,
    grant,
    capture,
    startRun,
    run,
    settled,
    approve,
    programId,
  };
}

export interface Run {
  id: string;
  status: string;
  periodEnd: string;
  totalCents: number;
  failureReason: string | null;
  createdBy: string;
  approvedBy: string | null;
  createdAt: string;
  sepaXml: string | null;
  csv: string | null;
  payouts: {
    id: string;
    status: string;
    amountCents: number;
    redemptionCount: number;
    iban: string;
    bankReference: string | null;
    provider: { id: string };
  }[];
  skippedProviders: { provider: { id: string }; reason: string; amountCents: number }[];
}

export type SettlementWorld = Awaited<ReturnType<typeof startSettlementWorld>>;
