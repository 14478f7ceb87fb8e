import { type Stack, startStack } from '@mentoring/stack';
import { errorCodes, graphqlClient, testRedis } from '@mentoring/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

// The four real subgraphs, each on its own database, behind the real gateway
// serving the committed supergraph.
let stack: Stack;
let gql: ReturnType<typeof graphqlClient>;
let operatorToken: string;

beforeAll(async () => {
  const { redisUrl, prefix } = testRedis('e2e');
  stack = await startStack({
    postgresUrl: inject('postgresUrl'),
    redisUrl,
    redisPrefix: prefix,
    label: 'e2e',
  });
  gql = graphqlClient(stack.gatewayUrl);
  const login = await gql<{ logIn: { token: string } }>(
    'mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { token } }',
    stack.operator,
  );
  operatorToken = login.data!.logIn.token;
}, 120_000);
afterAll(() => stack?.close());

describe('the platform through the gateway', () => {
  it('serves the categories from catalog', async () => {
    const res = await gql<{ categories: { slug: string; name: string }[] }>('{ categories { slug name } }');
    expect(res.errors).toBeUndefined();
    expect(res.data?.categories).toHaveLength(11);
    expect(res.data?.categories[0]).toEqual({ slug: 'music', name: 'Musica' });
  });

  it('is ready when every subgraph answers', async () => {
    expect((await fetch(stack.gatewayUrl.replace('/graphql', '/readyz'))).status).toBe(200);
  });

  it('signs a user up and knows them on the next request', async () => {
    const signUp = await gql<{ signUp: { token: string; user: { email: string } } }>(
      'mutation($input: SignUpInput!) { signUp(input: $input) { token user { id email displayName } } }',
      { input: { email: 'Giulia@Example.org', password: 'a-long-password', displayName: 'Giulia' } },
    );
    expect(signUp.data?.signUp.user.email).toBe('giulia@example.org');
    const me = await gql<{ me: { email: string; roles: string[] } }>(
      '{ me { id email roles } }',
      {},
      { token: signUp.data!.signUp.token },
    );
    expect(me.data?.me).toMatchObject({ email: 'giulia@example.org', roles: [] });
  });

  it('refuses a tampered token at the edge', async () => {
    const [header, payload, signature] = operatorToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = [
      header,
      Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url'),
      signature,
    ];
    const res = await gql('{ me { id } }', {}, { token: forged.join('.') });
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it("resolves an offering's provider name from identity in one query", async () => {
    const community = await gql<{ createCommunity: { id: string } }>(
      'mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }',
      { input: { name: 'Vigevano', slug: 'vigevano' } },
      { token: operatorToken },
    );
    const provider = await gql<{ createOrganization: { id: string } }>(
      'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
      {
        input: {
          communityId: community.data!.createCommunity.id,
          name: 'Istituto Musicale Costa',
          kind: 'PROVIDER',
          iban: 'IT60 X054 2811 1010 0000 0123 456',
        },
      },
      { token: operatorToken },
    );
    const offering = await gql<{ createOffering: { id: string; provider: { name: string } } }>(
      `mutation($input: CreateOfferingInput!) {
        createOffering(input: $input) { id title status priceCents category capacity seatsLeft provider { id name } }
      }`,
      {
        input: {
          providerOrganizationId: provider.data!.createOrganization.id,
          title: 'Iscrizione annuale',
          category: 'music',
          priceCents: 8000,
          capacity: 40,
        },
      },
      { token: operatorToken },
    );
    expect(offering.errors).toBeUndefined();
    expect(offering.data?.createOffering).toMatchObject({
      status: 'DRAFT',
      seatsLeft: 40,
      provider: { id: provider.data!.createOrganization.id, name: 'Istituto Musicale Costa' },
    });
    await gql(
      'mutation($id: ID!) { publishOffering(id: $id) { id } }',
      { id: offering.data!.createOffering.id },
      { token: operatorToken },
    );
    const list = await gql<{
      offerings: { totalCount: number; edges: { node: { provider: { name: string } } }[] };
    }>(
      '{ offerings(filter: { search: "iscrizione" }) { totalCount edges { node { title provider { name } } } } }',
    );
    expect(list.data?.offerings.totalCount).toBe(1);
    expect(list.data?.offerings.edges[0]?.node.provider.name).toBe('Istituto Musicale Costa');
  });

  it('refuses a query deeper than the limit, and one with hundreds of aliases', async () => {
    const deep = await gql(
      '{ me { memberships { organization { offerings { provider { offerings { provider { offerings { provider { offerings { id } } } } } } } } } } }',
    );
    expect(deep.status).toBe(400);
    expect(deep.errors?.[0]?.message).toMatch(/depth/i);
    const aliases = Array.from({ length: 300 }, (_, i) => `a${i}: categories { slug }`).join(' ');
    const wide = await gql(`{ ${aliases} }`);
    expect(wide.status).toBe(400);
    expect(wide.errors?.[0]?.message).toMatch(/alias/i);
  });
});
