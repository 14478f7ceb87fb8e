import type { Membership } from '@mentoring/subgraph-kit';
import {
  createTestDatabase,
  createTestTokens,
  errorCodes,
  graphqlClient,
  testRedis,
} from '@mentoring/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createSport } from '../src/app';

// Catalog's offerings as sport's lookup sees them. Catalog is another service:
// this directory stands in for its internal API, nothing else is faked.
const OFFERINGS: Record<string, { providerId: string }> = {
  'basket-u12': { providerId: 'pallacanestro-vigevano' },
  'nuoto-base': { providerId: 'piscina-comunale' },
};
const staffOf = (organizationId: string, role: Membership['role'] = 'STAFF'): Membership[] => [
  { organizationId, role, kind: 'PROVIDER' },
];

const signer = await createTestTokens();
const sport = await createSport({
  exactDatabaseUrl: await createTestDatabase('sport'),
  redisUrl: testRedis('sport').redisUrl,
  serviceTokenSecret: 'sport-tests-service-token-secret-0123456789',
  verifyToken: signer.verifyToken,
  lookupOffering: async (id) => OFFERINGS[id] ?? null,
});
afterAll(() => sport.close());
const url = await sport.listen({ port: 0 });
const gql = graphqlClient(`${url}/graphql`);
const tokens = {
  basketStaff: await signer.tokenFor({ userId: 'u-basket', memberships: staffOf('pallacanestro-vigevano') }),
  basketAdmin: await signer.tokenFor({
    userId: 'u-basket-admin',
    memberships: staffOf('pallacanestro-vigevano', 'ADMIN'),
  }),
  swimmingStaff: await signer.tokenFor({ userId: 'u-nuoto', memberships: staffOf('piscina-comunale') }),
  operator: await signer.tokenFor({ userId: 'u-operator', roles: ['OPERATOR'] }),
};

const SET_SPORT_DETAILS = `mutation SetSportDetails($offeringId: ID!, $input: SportDetailsInput!) {
  setSportDetails(offeringId: $offeringId, input: $input) { id sportDetails { discipline level ageGroup } }
}`;
const REGISTER_CLUB = `mutation RegisterSportClub($organizationId: ID!, $input: SportClubInput!) {
  registerSportClub(organizationId: $organizationId, input: $input) { id sportClub { federationCode disciplines } }
}`;
const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Offering { id sportDetails { discipline level } }
    ... on Organization { id sportClub { federationCode } }
  }
}`;

describe('the sport subgraph', () => {
  it('is alive and ready when its database and Redis answer', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
  });

  it("lets the provider's staff describe its offering as a sport course", async () => {
    const res = await gql(
      SET_SPORT_DETAILS,
      { offeringId: 'basket-u12', input: { discipline: ' Basket ', level: 'BEGINNER', ageGroup: 'U12' } },
      { token: tokens.basketStaff },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      setSportDetails: {
        id: 'basket-u12',
        sportDetails: { discipline: 'basket', level: 'BEGINNER', ageGroup: 'U12' },
      },
    });
  });

  it('refuses the staff of another provider, whatever provider they claim', async () => {
    const res = await gql(
      SET_SPORT_DETAILS,
      { offeringId: 'basket-u12', input: { discipline: 'nuoto', level: 'ADVANCED' } },
      { token: tokens.swimmingStaff },
    );
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
  });

  it('says NOT_FOUND for an offering catalog does not know, and refuses anonymous callers', async () => {
    const unknown = await gql(
      SET_SPORT_DETAILS,
      { offeringId: 'nope', input: { discipline: 'basket', level: 'BEGINNER' } },
      { token: tokens.operator },
    );
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    const anonymous = await gql(SET_SPORT_DETAILS, {
      offeringId: 'nuoto-base',
      input: { discipline: 'nuoto', level: 'BEGINNER' },
    });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses an empty discipline', async () => {
    const res = await gql(
      SET_SPORT_DETAILS,
      { offeringId: 'nuoto-base', input: { discipline: '  ', level: 'BEGINNER' } },
      { token: tokens.operator },
    );
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it('registers a club by its ADMIN only, and lists clubs by discipline', async () => {
    const input = { federationCode: 'fip-030123', disciplines: ['Basket', 'minibasket', 'basket'] };
    const byStaff = await gql(
      REGISTER_CLUB,
      { organizationId: 'pallacanestro-vigevano', input },
      { token: tokens.basketStaff },
    );
    expect(errorCodes(byStaff)).toEqual(['FORBIDDEN']);
    const byAdmin = await gql(
      REGISTER_CLUB,
      { organizationId: 'pallacanestro-vigevano', input },
      { token: tokens.basketAdmin },
    );
    expect(byAdmin.data).toEqual({
      registerSportClub: {
        id: 'pallacanestro-vigevano',
        sportClub: { federationCode: 'FIP-030123', disciplines: ['basket', 'minibasket'] },
      },
    });
    const minibasket = await gql('{ sportClubs(discipline: "Minibasket") { id } }');
    expect(minibasket.data).toEqual({ sportClubs: [{ id: 'pallacanestro-vigevano' }] });
    const swimming = await gql('{ sportClubs(discipline: "nuoto") { id } }');
    expect(swimming.data).toEqual({ sportClubs: [] });
  });

  it('resolves offerings and organizations the gateway asks about, null where it knows nothing', async () => {
    const res = await gql(ENTITIES, {
      representations: [
        { __typename: 'Offering', id: 'basket-u12' },
        { __typename: 'Offering', id: 'nuoto-base' },
        { __typename: 'Organization', id: 'piscina-comunale' },
      ],
    });
    expect(res.data).toEqual({
      _entities: [
        { id: 'basket-u12', sportDetails: { discipline: 'basket', level: 'BEGINNER' } },
        { id: 'nuoto-base', sportDetails: null },
        { id: 'piscina-comunale', sportClub: null },
      ],
    });
  });

  it('publishes its schema to composition through _service', async () => {
    const res = await gql<{ _service: { sdl: string } }>('{ _service { sdl } }');
    const sdl = res.data?._service.sdl ?? '';
    expect(sdl).toMatch(/type Offering\s+@key\(fields: "id"\)/);
    expect(sdl).toContain('sportDetails: SportDetails');
  });
});
