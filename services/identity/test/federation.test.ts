import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as organizationQueries from '../src/db/organizations';
import { createTown, dataOf, operatorToken, startIdentity, type TestIdentity } from './helpers';

// Counts the queries that load organizations by id.
vi.mock('../src/db/organizations', { spy: true });

const schemaFile = new URL('../src/schema.graphql', import.meta.url);

let t: TestIdentity;
let town: Awaited<ReturnType<typeof createTown>>;
beforeAll(async () => {
  t = await startIdentity();
  town = await createTown(t, await operatorToken(t));
});

describe('identity as a subgraph', () => {
  it('serves an SDL that composes into a supergraph on its own', async () => {
    const { _service } = dataOf(await t.gql<{ _service: { sdl: string } }>('{ _service { sdl } }'));
    const result = composeServices([
      { name: 'identity', url: 'http://identity', typeDefs: parse(_service.sdl) },
    ]);
    expect(result.errors).toBeUndefined();
    for (const entity of ['User', 'Organization', 'Community', 'Beneficiary'])
      expect(result.supergraphSdl).toMatch(
        new RegExp(`type ${entity}\\s[^{]*@join__type\\(graph: IDENTITY, key: "id"\\)`),
      );
  });

  it('composes with a subgraph that extends User and refers to its organizations, as funds does', () => {
    const funds = `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Organization @key(fields: "id", resolvable: false) { id: ID! }
      type Beneficiary @key(fields: "id", resolvable: false) { id: ID! }
      type Grant @key(fields: "id") { id: ID! beneficiary: Beneficiary! sponsor: Organization! }
      type User @key(fields: "id") { id: ID! grants: [Grant!]! }
      type Query { grant(id: ID!): Grant }
    `;
    const result = composeServices([
      { name: 'identity', url: 'http://identity', typeDefs: parse(readFileSync(schemaFile, 'utf8')) },
      { name: 'funds', url: 'http://funds', typeDefs: parse(funds) },
    ]);
    expect(result.errors).toBeUndefined();
  });

  it('resolves many organization references with one query, in the order asked', async () => {
    const load = vi.mocked(organizationQueries.findOrganizations);
    load.mockClear();
    const ids = [town.providerId, town.schoolId, town.sponsorId, '00000000-0000-4000-8000-000000000000'];
    const res = await t.gql<{
      _entities: Array<{ id: string; name: string; community: { id: string } } | null>;
    }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { id name community { id } } } }',
      { r: ids.map((id) => ({ __typename: 'Organization', id })) },
    );
    expect(dataOf(res)._entities.map((o) => o?.id ?? null)).toEqual([...ids.slice(0, 3), null]);
    expect(res.data!._entities[0]!.community.id).toBe(town.communityId);
    expect(load).toHaveBeenCalledTimes(1);
  });
});
