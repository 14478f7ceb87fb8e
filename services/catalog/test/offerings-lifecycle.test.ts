import { errorCodes } from '@mentoring/testing';
import { describe, expect, it } from 'vitest';
import { CREATE_OFFERING, offer, PUBLISH_OFFERING, startCatalog } from './helpers';

const catalog = await startCatalog('catalog_lifecycle');
const { gql, tokens } = catalog;

const enrollment = {
  providerOrganizationId: 'costa',
  title: 'Iscrizione annuale 2024/25',
  description: 'Corso di strumento e teoria musicale',
  category: 'music',
  priceCents: 8000,
  capacity: 30,
  startsAt: '2024-09-16T15:00:00Z',
  endsAt: '2025-06-13T18:00:00+02:00',
  minAge: 6,
  maxAge: 17,
};

const UPDATE = `mutation ($id: ID!, $input: UpdateOfferingInput!) {
  updateOffering(id: $id, input: $input) { id title description priceCents capacity startsAt endsAt minAge maxAge status }
}`;
const ARCHIVE = `mutation ($id: ID!) { archiveOffering(id: $id) { id status } }`;
const OFFERING = `query ($id: ID!) { offering(id: $id) { id title status seatsLeft provider { id } community { id } } }`;

const create = (input: Record<string, unknown>, token: string | null = tokens.costaStaff) =>
  gql<{ createOffering: { id: string; status: string } }>(
    CREATE_OFFERING,
    { input },
    { token: token ?? undefined },
  );

describe('creating an offering', () => {
  it("lets the provider's staff create a draft in the provider's community", async () => {
    const res = await create(enrollment);
    expect(res.errors).toBeUndefined();
    expect(res.data?.createOffering).toMatchObject({
      title: 'Iscrizione annuale 2024/25',
      status: 'DRAFT',
      priceCents: 8000,
      category: 'music',
      capacity: 30,
      seatsLeft: 30,
      provider: { id: 'costa' },
    });
    const id = res.data!.createOffering.id;
    const read = await gql<{ offering: { community: { id: string } } }>(
      OFFERING,
      { id },
      { token: tokens.costaStaff },
    );
    expect(read.data?.offering.community).toEqual({ id: 'vigevano' });
  });

  it("lets the provider's admins and operators create offerings too", async () => {
    expect((await create(enrollment, tokens.costaAdmin)).errors).toBeUndefined();
    expect((await create(enrollment, tokens.operator)).errors).toBeUndefined();
  });

  it('asks anonymous callers to sign in', async () => {
    expect(errorCodes(await create(enrollment, null))).toEqual(['UNAUTHENTICATED']);
  });

  it("forbids another provider's staff and users without membership", async () => {
    expect(errorCodes(await create(enrollment, tokens.teatroStaff))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await create(enrollment, tokens.someone))).toEqual(['FORBIDDEN']);
  });

  it('refuses an organization that is not a provider, even for an operator', async () => {
    const res = await create({ ...enrollment, providerOrganizationId: 'fondazione' }, tokens.operator);
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).toMatch(/only provider organizations/i);
  });

  it('refuses a membership of a non-provider organization', async () => {
    const res = await create({ ...enrollment, providerOrganizationId: 'fondazione' }, tokens.fondazioneAdmin);
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
  });

  it('answers NOT_FOUND for an organization identity does not know', async () => {
    const res = await create({ ...enrollment, providerOrganizationId: 'nowhere' }, tokens.operator);
    expect(errorCodes(res)).toEqual(['NOT_FOUND']);
  });

  it('keeps capacity, dates and age limits optional (unlimited seats)', async () => {
    const res = await gql<{ createOffering: { capacity: null; seatsLeft: null } }>(
      CREATE_OFFERING,
      {
        input: {
          providerOrganizationId: 'costa',
          title: 'Ingresso museo',
          category: 'museum',
          priceCents: 500,
        },
      },
      { token: tokens.costaStaff },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.createOffering).toMatchObject({ capacity: null, seatsLeft: null });
  });

  it.each([
    ['an empty title', { title: '   ' }, /title must not be empty/i],
    ['a zero price', { priceCents: 0 }, /price .*greater than zero/i],
    ['a negative price', { priceCents: -100 }, /price .*greater than zero/i],
    ['a capacity below one', { capacity: 0 }, /capacity must be at least 1/i],
    [
      'an end before the start',
      { startsAt: '2025-06-01T10:00:00Z', endsAt: '2025-05-31T10:00:00Z' },
      /end before it starts/i,
    ],
    [
      'a minimum age above the maximum age',
      { minAge: 18, maxAge: 14 },
      /minimum age \(18\) cannot be above/i,
    ],
    ['a negative age', { minAge: -1 }, /minAge must be a whole number/i],
    ['an unknown category', { category: 'cooking' }, /unknown category "cooking"/i],
    ['a title longer than 200 characters', { title: 'x'.repeat(201) }, /at most 200/i],
  ])('refuses %s with a clear message', async (_, change, message) => {
    const res = await create({ ...enrollment, ...change });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).toMatch(message);
  });

  it('refuses a date that is not an ISO 8601 date-time', async () => {
    const res = await create({ ...enrollment, startsAt: 'next monday' });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).toMatch(/ISO 8601/);
  });
});

describe('changing an offering', () => {
  it('updates only the fields given and clears optional ones given as null', async () => {
    const id = await offer(catalog, { ...enrollment, title: 'Corso di chitarra' }, { publish: false });
    const res = await gql(
      UPDATE,
      { id, input: { priceCents: 9000, description: null, endsAt: null } },
      { token: tokens.costaStaff },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.updateOffering).toMatchObject({
      title: 'Corso di chitarra',
      priceCents: 9000,
      description: null,
      capacity: 30,
      startsAt: '2024-09-16T15:00:00.000Z',
      endsAt: null,
      minAge: 6,
      maxAge: 17,
      status: 'DRAFT',
    });
  });

  it('validates the result as a whole: a new end before the existing start is refused', async () => {
    const id = await offer(catalog, enrollment, { publish: false });
    const res = await gql(
      UPDATE,
      { id, input: { endsAt: '2024-09-01T00:00:00Z' } },
      { token: tokens.costaStaff },
    );
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).toMatch(/end before it starts/);
  });

  it('refuses to remove a required field', async () => {
    const id = await offer(catalog, enrollment, { publish: false });
    const res = await gql(UPDATE, { id, input: { title: null } }, { token: tokens.costaStaff });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).toMatch(/title cannot be removed/);
  });

  it('authorizes updates like creation', async () => {
    const id = await offer(catalog, enrollment, { publish: false });
    const input = { title: 'Nuovo titolo' };
    expect(errorCodes(await gql(UPDATE, { id, input }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(UPDATE, { id, input }, { token: tokens.teatroStaff }))).toEqual([
      'FORBIDDEN',
    ]);
    expect((await gql(UPDATE, { id, input }, { token: tokens.costaStaff })).errors).toBeUndefined();
    expect((await gql(UPDATE, { id, input }, { token: tokens.operator })).errors).toBeUndefined();
  });

  it('answers NOT_FOUND for an unknown offering', async () => {
    const res = await gql(UPDATE, { id: 'missing', input: { title: 'x' } }, { token: tokens.operator });
    expect(errorCodes(res)).toEqual(['NOT_FOUND']);
  });
});

describe('the offering lifecycle: DRAFT → PUBLISHED → ARCHIVED', () => {
  it('publishes a draft, then archives it', async () => {
    const id = await offer(catalog, enrollment, { publish: false });
    const published = await gql(PUBLISH_OFFERING, { id }, { token: tokens.costaStaff });
    expect(published.data?.publishOffering).toEqual({ id, status: 'PUBLISHED' });
    const archived = await gql(ARCHIVE, { id }, { token: tokens.costaStaff });
    expect(archived.data?.archiveOffering).toEqual({ id, status: 'ARCHIVED' });
  });

  it('refuses to publish an offering twice', async () => {
    const id = await offer(catalog, enrollment);
    const res = await gql(PUBLISH_OFFERING, { id }, { token: tokens.costaStaff });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).toMatch(/already published/);
  });

  it('treats an archived offering as final', async () => {
    const id = await offer(catalog, enrollment);
    await gql(ARCHIVE, { id }, { token: tokens.costaStaff });
    for (const res of [
      await gql(PUBLISH_OFFERING, { id }, { token: tokens.costaStaff }),
      await gql(ARCHIVE, { id }, { token: tokens.costaStaff }),
      await gql(UPDATE, { id, input: { title: 'x' } }, { token: tokens.costaStaff }),
    ]) {
      expect(errorCodes(res)).toEqual(['ALREADY_FINAL']);
    }
  });

  it('lets a draft be discarded by archiving it', async () => {
    const id = await offer(catalog, enrollment, { publish: false });
    const res = await gql(ARCHIVE, { id }, { token: tokens.operator });
    expect(res.data?.archiveOffering).toEqual({ id, status: 'ARCHIVED' });
  });

  it('authorizes publishing and archiving like creation', async () => {
    const id = await offer(catalog, enrollment, { publish: false });
    expect(errorCodes(await gql(PUBLISH_OFFERING, { id }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(PUBLISH_OFFERING, { id }, { token: tokens.teatroStaff }))).toEqual([
      'FORBIDDEN',
    ]);
    expect((await gql(PUBLISH_OFFERING, { id }, { token: tokens.costaAdmin })).errors).toBeUndefined();
    expect(errorCodes(await gql(ARCHIVE, { id }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(ARCHIVE, { id }, { token: tokens.teatroStaff }))).toEqual(['FORBIDDEN']);
    expect((await gql(ARCHIVE, { id }, { token: tokens.operator })).errors).toBeUndefined();
  });

  it('publishes exactly once when two requests race', async () => {
    const id = await offer(catalog, enrollment, { publish: false });
    const results = await Promise.all(
      [1, 2, 3].map(() => gql(PUBLISH_OFFERING, { id }, { token: tokens.costaStaff })),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.flatMap(errorCodes)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
  });
});

describe('who sees an offering', () => {
  it("shows drafts only to the provider's staff and operators", async () => {
    const id = await offer(catalog, enrollment, { publish: false });
    expect((await gql(OFFERING, { id })).data?.offering).toBeNull();
    expect((await gql(OFFERING, { id }, { token: tokens.teatroStaff })).data?.offering).toBeNull();
    expect((await gql(OFFERING, { id }, { token: tokens.costaStaff })).data?.offering).toMatchObject({
      status: 'DRAFT',
    });
    expect((await gql(OFFERING, { id }, { token: tokens.operator })).data?.offering).toMatchObject({ id });
  });

  it('shows published offerings to everyone, signed in or not', async () => {
    const id = await offer(catalog, enrollment);
    expect((await gql(OFFERING, { id })).data?.offering).toMatchObject({
      id,
      status: 'PUBLISHED',
      seatsLeft: 30,
      provider: { id: 'costa' },
    });
  });

  it('answers null for an unknown id', async () => {
    const res = await gql(OFFERING, { id: 'no-such-offering' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.offering).toBeNull();
  });
});
