import { errorCodes } from '@mentoring/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countStatements,
  OFFERINGS,
  type OfferingsPage,
  offer,
  PUBLISH_OFFERING,
  startCatalog,
} from './helpers';

const catalog = await startCatalog('catalog_listing');
const { gql, tokens } = catalog;

const ids: Record<string, string> = {};
const danzaIds: string[] = [];

beforeAll(async () => {
  ids.scuola = await offer(catalog, {
    title: 'Scuola di musica',
    description: 'Lezioni di pianoforte e chitarra per ragazzi',
    category: 'music',
    priceCents: 8000,
  });
  ids.universita = await offer(catalog, {
    providerOrganizationId: 'teatro',
    title: "Preparazione all'Università",
    description: 'Tutoraggio per i test di ammissione',
    category: 'tutoring',
    priceCents: 5000,
  });
  ids.teatro = await offer(catalog, {
    providerOrganizationId: 'teatro',
    title: 'Teatro ragazzi',
    description: 'Laboratorio teatrale del sabato',
    category: 'theatre',
    priceCents: 3000,
  });
  ids.nuoto = await offer(catalog, {
    providerOrganizationId: 'palestra',
    title: 'Nuoto libero',
    category: 'sport',
    priceCents: 2000,
  });
  ids.draft = await offer(catalog, { title: 'Bozza di musica da camera' }, { publish: false });
  ids.archived = await offer(catalog, { title: 'Musica antica (chiuso)' });
  await gql(
    'mutation ($id: ID!) { archiveOffering(id: $id) { id } }',
    { id: ids.archived },
    { token: tokens.operator },
  );
  // Created one after the other (that order is the listing order), then published together.
  for (let i = 1; i <= 100; i++) {
    const input = { providerOrganizationId: 'danza', title: `Lezione di danza n. ${i}`, category: 'dance' };
    danzaIds.push(await offer(catalog, { ...input, priceCents: 1000 + i, capacity: 20 }, { publish: false }));
  }
  await Promise.all(danzaIds.map((id) => gql(PUBLISH_OFFERING, { id }, { token: tokens.operator })));
});

const list = async (variables: Record<string, unknown>) => {
  const res = await gql<OfferingsPage>(OFFERINGS, variables);
  expect(res.errors).toBeUndefined();
  return res.data!.offerings;
};
const titles = async (filter: Record<string, unknown>) =>
  (await list({ filter, first: 100 })).edges.map((e) => e.node.title);

describe('searching offerings', () => {
  it('finds "Scuola di musica" when searching for "musica", and only published offerings', async () => {
    expect(await titles({ search: 'musica' })).toEqual(['Scuola di musica']);
  });

  it('ignores accents: "universita" finds "Università"', async () => {
    expect(await titles({ search: 'universita' })).toEqual(["Preparazione all'Università"]);
    expect(await titles({ search: 'UNIVERSITÀ' })).toEqual(["Preparazione all'Università"]);
  });

  it('looks in the description as well as the title', async () => {
    expect(await titles({ search: 'pianoforte' })).toEqual(['Scuola di musica']);
  });

  it('matches Italian word forms (stemming)', async () => {
    expect(await titles({ search: 'lezione pianoforte' })).toEqual(['Scuola di musica']);
  });

  it('finds nothing for words no offering contains, and ignores a blank search', async () => {
    expect(await titles({ search: 'astronomia' })).toEqual([]);
    expect((await list({ filter: { search: '   ' } })).totalCount).toBe(104);
  });
});

describe('filtering offerings', () => {
  it('lists only published offerings to anyone', async () => {
    const all = await list({ first: 100 });
    expect(all.totalCount).toBe(104);
    const listed = all.edges.map((e) => e.node.id);
    expect(listed).not.toContain(ids.draft);
    expect(listed).not.toContain(ids.archived);
  });

  it('filters by community, category, provider and maximum price', async () => {
    expect(await titles({ communityId: 'pavia' })).toEqual(['Nuoto libero']);
    expect(await titles({ category: 'theatre' })).toEqual(['Teatro ragazzi']);
    expect(await titles({ providerId: 'teatro' })).toEqual(["Preparazione all'Università", 'Teatro ragazzi']);
    expect(await titles({ maxPriceCents: 3000, communityId: 'vigevano', category: 'theatre' })).toEqual([
      'Teatro ragazzi',
    ]);
    expect((await list({ filter: { maxPriceCents: 1005 } })).totalCount).toBe(5);
  });

  it('combines filters with search', async () => {
    expect(await titles({ search: 'ragazzi', category: 'music' })).toEqual(['Scuola di musica']);
    expect(await titles({ search: 'ragazzi', providerId: 'teatro' })).toEqual(['Teatro ragazzi']);
  });

  it('refuses a negative maximum price', async () => {
    const res = await gql(OFFERINGS, { filter: { maxPriceCents: -1 } });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('paginating offerings', () => {
  it('returns 20 by default, with the total across all pages', async () => {
    const page = await list({});
    expect(page.edges).toHaveLength(20);
    expect(page.totalCount).toBe(104);
    expect(page.pageInfo.hasNextPage).toBe(true);
  });

  it('walks every offering exactly once, in a stable order, following the cursors', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await list({ filter: { providerId: 'danza' }, first: 30, after });
      expect(page.totalCount).toBe(100);
      seen.push(...page.edges.map((e) => e.node.id));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(danzaIds);
  });

  it('keeps a cursor valid while new offerings are added: they come after it', async () => {
    const first = await list({ filter: { providerId: 'danza' }, first: 10 });
    const newId = await offer(catalog, {
      providerOrganizationId: 'palestra',
      title: 'Arrampicata',
      category: 'sport',
    });
    const next = await list({ filter: { providerId: 'danza' }, first: 10, after: first.pageInfo.endCursor });
    expect(next.edges.map((e) => e.node.id)).toEqual(danzaIds.slice(10, 20));
    const everything = await list({ filter: { communityId: 'pavia' }, first: 10 });
    expect(everything.edges.at(-1)?.node.id).toBe(newId);
  });

  it('gives each edge a cursor that resumes right after it', async () => {
    const page = await list({ filter: { providerId: 'danza' }, first: 5 });
    const resumed = await list({ filter: { providerId: 'danza' }, first: 2, after: page.edges[2]!.cursor });
    expect(resumed.edges.map((e) => e.node.id)).toEqual(danzaIds.slice(3, 5));
  });

  it('serves up to 100 per page and refuses more', async () => {
    expect((await list({ first: 100 })).edges).toHaveLength(100);
    const res = await gql(OFFERINGS, { first: 101 });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).toMatch(/first must be between 0 and 100/);
  });

  it('refuses a cursor it did not hand out', async () => {
    const res = await gql(OFFERINGS, { after: 'bm90LWEtY3Vyc29y' });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it('answers an empty last page', async () => {
    const page = await list({ filter: { providerId: 'danza' }, first: 100 });
    const after = await list({ filter: { providerId: 'danza' }, after: page.pageInfo.endCursor });
    expect(after).toMatchObject({
      totalCount: 100,
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
  });
});

const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Offering { id title priceCents seatsLeft provider { id } }
    ... on Organization { id offerings { id title } }
    ... on Grant {
      eligibleOfferings(first: 20) {
        edges { node { id title priceCents category } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`;

interface EntitiesResult {
  _entities: Array<{
    id?: string;
    title?: string;
    offerings?: Array<{ id: string; title: string }>;
    eligibleOfferings?: OfferingsPage['offerings'];
  } | null>;
}
const entities = async (representations: Record<string, unknown>[], token?: string) => {
  const res = await gql<EntitiesResult>(ENTITIES, { representations }, { token });
  expect(res.errors).toBeUndefined();
  return res.data!._entities;
};

describe('offerings as federated entities', () => {
  it('resolves Offering references in the order asked, drafts only for their staff', async () => {
    const refs = [ids.teatro, ids.draft, 'missing', ids.scuola].map((id) => ({ __typename: 'Offering', id }));
    const anonymous = await entities(refs);
    expect(anonymous.map((o) => o?.title ?? null)).toEqual([
      'Teatro ragazzi',
      null,
      null,
      'Scuola di musica',
    ]);
    const staff = await entities(refs, tokens.costaStaff);
    expect(staff[1]?.title).toBe('Bozza di musica da camera');
  });

  it("adds each provider's published offerings to Organization", async () => {
    const [costa, teatro, fondazione] = await entities(
      ['costa', 'teatro', 'fondazione'].map((id) => ({ __typename: 'Organization', id })),
    );
    expect(costa?.offerings?.map((o) => o.title)).toEqual(['Scuola di musica']);
    expect(teatro?.offerings?.map((o) => o.title)).toEqual(["Preparazione all'Università", 'Teatro ragazzi']);
    expect(fondazione?.offerings).toEqual([]);
  });

  describe('counting SQL statements', () => {
    const counter = countStatements(catalog.databaseUrl);
    afterAll(() => counter.restore());
    const offeringRefs = (n: number) => danzaIds.slice(0, n).map((id) => ({ __typename: 'Offering', id }));

    it('resolves 100 Offering references with providers in as many statements as 10 (one)', async () => {
      const forTen = await counter.during(() => entities(offeringRefs(10)));
      const forHundred = await counter.during(async () => {
        const resolved = await entities(offeringRefs(100));
        expect(resolved.filter((o) => o?.id)).toHaveLength(100);
      });
      expect(forTen).toBe(1);
      expect(forHundred).toBe(forTen);
    });

    it('serves a 100-offering page with providers in as many statements as a 10-offering page', async () => {
      const page = (first: number) => () => list({ filter: { providerId: 'danza' }, first });
      const forTen = await counter.during(page(10));
      const forHundred = await counter.during(page(100));
      expect(forTen).toBe(2); // the page and its totalCount
      expect(forHundred).toBe(forTen);
    });

    it('loads the offerings of many organizations in one statement', async () => {
      const orgs = ['costa', 'teatro', 'palestra', 'danza', 'fondazione'].map((id) => ({
        __typename: 'Organization',
        id,
      }));
      expect(await counter.during(() => entities(orgs))).toBe(1);
    });
  });
});

describe('what a grant can buy (Grant.eligibleOfferings)', () => {
  const grant = (rules: Partial<Record<string, unknown>>) => ({
    __typename: 'Grant',
    id: `grant-${Math.random()}`,
    communityId: 'vigevano',
    eligibleCategories: [],
    eligibleProviderIds: [],
    eligibleOfferingIds: [],
    ...rules,
  });
  const eligible = async (rules: Partial<Record<string, unknown>>) => {
    const [resolved] = await entities([grant(rules)]);
    return resolved!.eligibleOfferings!;
  };
  const eligibleTitles = async (rules: Partial<Record<string, unknown>>) =>
    (await eligible(rules)).edges.map((e) => e.node.title);

  it("lists the published offerings of the grant's provider (Mentoring 2.1: only Istituto Costa)", async () => {
    expect(await eligibleTitles({ eligibleProviderIds: ['costa'] })).toEqual(['Scuola di musica']);
  });

  it("allows anything in the grant's community when every rule is empty, paginated by 20", async () => {
    const page = await eligible({});
    expect(page.edges).toHaveLength(20);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.edges.map((e) => e.node.title)).not.toContain('Nuoto libero');
    expect((await eligibleTitles({ communityId: 'pavia' }))[0]).toBe('Nuoto libero');
  });

  it('narrows by categories, providers and offerings together', async () => {
    expect(await eligibleTitles({ eligibleCategories: ['theatre', 'tutoring'] })).toEqual([
      "Preparazione all'Università",
      'Teatro ragazzi',
    ]);
    expect(
      await eligibleTitles({ eligibleCategories: ['theatre', 'music'], eligibleProviderIds: ['teatro'] }),
    ).toEqual(['Teatro ragazzi']);
    expect(await eligibleTitles({ eligibleOfferingIds: [ids.scuola, ids.draft, ids.nuoto] })).toEqual([
      'Scuola di musica',
    ]);
  });

  it('follows its own cursor', async () => {
    const first = await eligible({ eligibleCategories: ['dance'] });
    const [resolved] = await gql<EntitiesResult>(
      `query ($representations: [_Any!]!, $after: String) { _entities(representations: $representations) {
        ... on Grant { eligibleOfferings(first: 20, after: $after) { edges { node { id } } pageInfo { hasNextPage } } } } }`,
      { representations: [grant({ eligibleCategories: ['dance'] })], after: first.pageInfo.endCursor },
    ).then((r) => r.data!._entities);
    expect(resolved?.eligibleOfferings?.edges.map((e) => e.node.id)).toEqual(danzaIds.slice(20, 40));
  });
});
