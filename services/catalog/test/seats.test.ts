import { randomUUID } from 'node:crypto';
import { catalogApi } from '@mentoring/internal-api';
import { UserError } from '@mentoring/subgraph-kit';
import { describe, expect, it } from 'vitest';
import { offer, reserve, startCatalog } from './helpers';

const catalog = await startCatalog('catalog_seats');
const { gql, internal, tokens } = catalog;

const seatsLeft = async (id: string) => {
  const res = await gql<{ offering: { seatsLeft: number | null } }>(
    'query ($id: ID!) { offering(id: $id) { seatsLeft } }',
    {
      id,
    },
  );
  return res.data!.offering.seatsLeft;
};
const release = (redemptionId: string) => internal(catalogApi.releaseSeat, { redemptionId });
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'OK',
    (error) => (error instanceof UserError ? error.extensions.code : `unexpected: ${error}`),
  );

describe('reserving seats (internal API)', () => {
  it('sells exactly the capacity when 200 redemptions race for 50 seats', async () => {
    const id = await offer(catalog, { title: 'Concerto di fine anno', capacity: 50 });
    const outcomes = await Promise.all(Array.from({ length: 200 }, () => codeOf(reserve(catalog, id))));
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(50);
    expect(outcomes.filter((o) => o === 'SOLD_OUT')).toHaveLength(150);
    expect(await seatsLeft(id)).toBe(0);
  });

  it('answers the seats left after each reservation', async () => {
    const id = await offer(catalog, { title: 'Laboratorio', capacity: 3 });
    expect(await reserve(catalog, id)).toEqual({ seatsLeft: 2 });
    expect(await reserve(catalog, id)).toEqual({ seatsLeft: 1 });
    expect(await reserve(catalog, id)).toEqual({ seatsLeft: 0 });
    expect(await codeOf(reserve(catalog, id))).toBe('SOLD_OUT');
  });

  it('takes no second seat when a reservation is repeated with the same redemption id', async () => {
    const id = await offer(catalog, { title: 'Corso di flauto', capacity: 10 });
    const redemptionId = randomUUID();
    expect(await reserve(catalog, id, redemptionId)).toEqual({ seatsLeft: 9 });
    const repeats = await Promise.all([1, 2, 3, 4, 5].map(() => reserve(catalog, id, redemptionId)));
    expect(repeats).toEqual(Array(5).fill({ seatsLeft: 9 }));
    expect(await seatsLeft(id)).toBe(9);
  });

  it('refuses to reuse a redemption id for another offering', async () => {
    const first = await offer(catalog, { title: 'Corso A', capacity: 5 });
    const second = await offer(catalog, { title: 'Corso B', capacity: 5 });
    const redemptionId = randomUUID();
    await reserve(catalog, first, redemptionId);
    expect(await codeOf(reserve(catalog, second, redemptionId))).toBe('IDEMPOTENCY_CONFLICT');
    expect(await seatsLeft(second)).toBe(5);
  });

  it('counts reservations on offerings without capacity, which never sell out', async () => {
    const id = await offer(catalog, { title: 'Ingresso libero al museo', category: 'museum' });
    expect(await reserve(catalog, id)).toEqual({ seatsLeft: null });
    expect(await seatsLeft(id)).toBeNull();
  });

  it('refuses offerings that are unknown, drafts or archived', async () => {
    expect(await codeOf(reserve(catalog, 'no-such-offering'))).toBe('NOT_FOUND');
    const draft = await offer(catalog, { title: 'Bozza', capacity: 5 }, { publish: false });
    expect(await codeOf(reserve(catalog, draft))).toBe('BAD_USER_INPUT');
    const archived = await offer(catalog, { title: 'Chiuso', capacity: 5 });
    await gql(
      'mutation ($id: ID!) { archiveOffering(id: $id) { id } }',
      { id: archived },
      { token: tokens.operator },
    );
    expect(await codeOf(reserve(catalog, archived))).toBe('BAD_USER_INPUT');
    expect(await seatsLeft(archived)).toBe(5);
  });

  it('refuses callers without a service token', async () => {
    const response = await fetch(`${catalog.url}/internal/reserveSeat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.operator}` },
      body: JSON.stringify({ offeringId: 'x', redemptionId: 'y' }),
    });
    expect(response.status).toBe(401);
  });
});

describe('releasing seats (internal API)', () => {
  it('frees exactly one seat when the same redemption is released twice', async () => {
    const id = await offer(catalog, { title: 'Stage estivo', capacity: 5 });
    const redemptionId = randomUUID();
    await reserve(catalog, id, redemptionId);
    await reserve(catalog, id);
    expect(await seatsLeft(id)).toBe(3);
    const releases = await Promise.all([release(redemptionId), release(redemptionId)]);
    expect(releases.map((r) => r.released).sort()).toEqual([false, true]);
    expect(await seatsLeft(id)).toBe(4);
  });

  it('makes a released seat available to someone else', async () => {
    const id = await offer(catalog, { title: 'Posto unico', capacity: 1 });
    const redemptionId = randomUUID();
    await reserve(catalog, id, redemptionId);
    expect(await codeOf(reserve(catalog, id))).toBe('SOLD_OUT');
    await release(redemptionId);
    expect(await reserve(catalog, id)).toEqual({ seatsLeft: 0 });
  });

  it('does not take the seat again when a released reservation is repeated', async () => {
    const id = await offer(catalog, { title: 'Corso serale', capacity: 5 });
    const redemptionId = randomUUID();
    await reserve(catalog, id, redemptionId);
    await release(redemptionId);
    expect(await codeOf(reserve(catalog, id, redemptionId))).toBe('ALREADY_FINAL');
    expect(await seatsLeft(id)).toBe(5);
  });

  it('remembers a release that arrives before its reservation, so the late reservation takes no seat', async () => {
    const id = await offer(catalog, { title: 'Corso pomeridiano', capacity: 5 });
    const redemptionId = randomUUID();
    expect(await release(redemptionId)).toEqual({ released: false });
    expect(await codeOf(reserve(catalog, id, redemptionId))).toBe('ALREADY_FINAL');
    expect(await seatsLeft(id)).toBe(5);
  });

  it('refuses lowering the capacity below the seats already reserved', async () => {
    const id = await offer(catalog, { title: 'Coro', capacity: 5 });
    await reserve(catalog, id);
    await reserve(catalog, id);
    const update = (capacity: number) =>
      gql(
        'mutation ($id: ID!, $capacity: Int) { updateOffering(id: $id, input: { capacity: $capacity }) { capacity seatsLeft } }',
        { id, capacity },
        { token: tokens.costaStaff },
      );
    const refused = await update(1);
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toMatch(/2 seat\(s\) already reserved/);
    expect((await update(2)).data?.updateOffering).toEqual({ capacity: 2, seatsLeft: 0 });
  });
});

describe('offering summaries for other services (internal API)', () => {
  it('answers the offerings asked for, in any status, leaving unknown ids out', async () => {
    const published = await offer(catalog, {
      title: 'Corso di violino',
      priceCents: 9000,
      minAge: 8,
      maxAge: 17,
    });
    const draft = await offer(
      catalog,
      { title: 'Bozza', category: 'books', priceCents: 1500 },
      { publish: false },
    );
    const summaries = await internal(catalogApi.getOfferings, { ids: [published, 'unknown', draft] });
    expect(summaries).toHaveLength(2);
    expect(summaries.find((o) => o.id === published)).toEqual({
      id: published,
      providerId: 'costa',
      communityId: 'vigevano',
      category: 'music',
      priceCents: 9000,
      status: 'PUBLISHED',
      minAge: 8,
      maxAge: 17,
      title: 'Corso di violino',
    });
    expect(summaries.find((o) => o.id === draft)).toMatchObject({ status: 'DRAFT', category: 'books' });
  });
});
