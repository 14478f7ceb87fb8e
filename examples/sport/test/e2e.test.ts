import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGateway, type Gateway } from '@mentoring/gateway';
import { type Stack, startStack } from '@mentoring/stack';
import { createLogger, createTokenVerifier, type Subgraph, viewerFromHeader } from '@mentoring/subgraph-kit';
import { createTestDatabase, graphqlClient, testRedis } from '@mentoring/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { composeSupergraph, readSubgraphs } from '../../../infra/supergraph/compose-lib';
import { createSport } from '../src/app';

// Our four real subgraphs (startStack) plus the sport partner subgraph, behind
// a second gateway serving a supergraph composed in memory: what a partner
// gets once its entry is in subgraphs.json.
const root = fileURLToPath(new URL('../../../', import.meta.url));
let stack: Stack;
let sport: Subgraph;
let gateway: Gateway;
let folder: string;
let gql: ReturnType<typeof graphqlClient>;
let operator: string;

beforeAll(async () => {
  const { redisUrl, prefix } = testRedis('sport_e2e');
  stack = await startStack({
    postgresUrl: inject('postgresUrl'),
    redisUrl,
    redisPrefix: prefix,
    label: 'sport',
  });
  const verifyToken = createTokenVerifier({ jwksUrl: `${stack.urls.identity}/.well-known/jwks.json` });
  sport = await createSport({
    exactDatabaseUrl: await createTestDatabase('sport_e2e'),
    redisUrl,
    serviceTokenSecret: stack.serviceTokenSecret,
    verifyToken,
    catalogUrl: stack.urls.catalog,
  });
  const sportUrl = await sport.listen({ port: 0 });

  const ours = await readSubgraphs(join(root, 'infra/supergraph/subgraphs.json'), root);
  const typeDefs = await readFile(join(root, 'examples/sport/src/schema.graphql'), 'utf8');
  const composed = composeSupergraph([...ours, { name: 'sport', url: `${sportUrl}/graphql`, typeDefs }]);
  if (composed.errors) throw new Error(`composition failed: ${JSON.stringify(composed.errors)}`);
  folder = await mkdtemp(join(tmpdir(), 'sport-supergraph-'));
  await writeFile(join(folder, 'supergraph.graphql'), composed.supergraphSdl);

  const urls: Record<string, string> = { sport: sportUrl, ...stack.urls };
  gateway = await createGateway({
    supergraphPath: join(folder, 'supergraph.graphql'),
    watchSupergraph: false,
    port: 0,
    logger: createLogger('gateway', 'silent'),
    subgraphUrls: Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, `${url}/graphql`])),
    authenticate: (request) => viewerFromHeader(request.headers.authorization, verifyToken),
  });
  gql = graphqlClient(gateway.url);
  const login = await gql<{ logIn: { token: string } }>(
    'mutation LogIn($email: String!, $password: String!) { logIn(email: $email, password: $password) { token } }',
    stack.operator,
  );
  operator = login.data!.logIn.token;
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await sport?.close();
  await stack?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** A provider with one published offering, created through the gateway as the operator. */
async function sportClubWithCourse() {
  const community = await gql<{ createCommunity: { id: string } }>(
    'mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }',
    { input: { name: 'Vigevano', slug: 'vigevano' } },
    { token: operator },
  );
  const provider = await gql<{ createOrganization: { id: string } }>(
    'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
    {
      input: {
        communityId: community.data!.createCommunity.id,
        name: 'Pallacanestro Vigevano',
        kind: 'PROVIDER',
        iban: 'IT60 X054 2811 1010 0000 0123 456',
      },
    },
    { token: operator },
  );
  const providerId = provider.data!.createOrganization.id;
  const offering = await gql<{ createOffering: { id: string } }>(
    'mutation($input: CreateOfferingInput!) { createOffering(input: $input) { id } }',
    {
      input: {
        providerOrganizationId: providerId,
        title: 'Minibasket U12',
        category: 'sport',
        priceCents: 12000,
      },
    },
    { token: operator },
  );
  const offeringId = offering.data!.createOffering.id;
  await gql(
    'mutation($id: ID!) { publishOffering(id: $id) { id } }',
    { id: offeringId },
    { token: operator },
  );
  return { providerId, offeringId };
}

describe('a partner subgraph in the supergraph', () => {
  it("adds sport details to catalog's offerings and a club to identity's organizations, in one query", async () => {
    const { providerId, offeringId } = await sportClubWithCourse();

    const details = await gql(
      `mutation($offeringId: ID!, $input: SportDetailsInput!) {
        setSportDetails(offeringId: $offeringId, input: $input) { id title sportDetails { discipline level } }
      }`,
      { offeringId, input: { discipline: 'Basket', level: 'BEGINNER', ageGroup: 'U12' } },
      { token: operator },
    );
    expect(details.errors).toBeUndefined();
    expect(details.data).toEqual({
      setSportDetails: {
        id: offeringId,
        title: 'Minibasket U12',
        sportDetails: { discipline: 'basket', level: 'BEGINNER' },
      },
    });
    const club = await gql(
      `mutation($organizationId: ID!, $input: SportClubInput!) {
        registerSportClub(organizationId: $organizationId, input: $input) { id }
      }`,
      { organizationId: providerId, input: { federationCode: 'FIP-030123', disciplines: ['basket'] } },
      { token: operator },
    );
    expect(club.errors).toBeUndefined();

    const list = await gql(
      '{ offerings { edges { node { title sportDetails { discipline } provider { name sportClub { federationCode } } } } } }',
    );
    expect(list.errors).toBeUndefined();
    expect(list.data).toEqual({
      offerings: {
        edges: [
          {
            node: {
              title: 'Minibasket U12',
              sportDetails: { discipline: 'basket' },
              provider: { name: 'Pallacanestro Vigevano', sportClub: { federationCode: 'FIP-030123' } },
            },
          },
        ],
      },
    });
  });

  it('is ready only when the partner subgraph answers too', async () => {
    expect((await fetch(gateway.url.replace('/graphql', '/readyz'))).status).toBe(200);
  });
});
