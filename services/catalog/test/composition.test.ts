import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { printSchema } from '@apollo/federation-internals';
import { buildSchema, type GraphQLSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';

// Identity's and funds' parts of the cross-subgraph contract that catalog meets.
const identity = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  enum OrganizationKind { SPONSOR SCHOOL SOCIAL_AGENCY PROVIDER }
  type Community @key(fields: "id") { id: ID! name: String! slug: String! }
  type Organization @key(fields: "id") { id: ID! name: String! kind: OrganizationKind! community: Community! }
  type User @key(fields: "id") { id: ID! email: String! displayName: String! }
  type Query { me: User }
`;
const funds = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  scalar Date
  type User @key(fields: "id") { id: ID! grants: [Grant!]! }
  type Grant @key(fields: "id") {
    id: ID!
    amountCents: Int!
    communityId: ID!
    eligibleCategories: [String!]!
    eligibleProviderIds: [ID!]!
    eligibleOfferingIds: [ID!]!
    spendDeadline: Date!
  }
`;
const catalog = readFileSync(new URL('../src/schema.graphql', import.meta.url), 'utf8');

// The frontends' documents that involve catalog, exactly as the contract lists them.
const CONTRACT_OPERATIONS = `
  mutation CreateOffering($input: CreateOfferingInput!) { createOffering(input: $input) { id title status priceCents category capacity seatsLeft provider { id name } } }
  mutation PublishOffering($id: ID!) { publishOffering(id: $id) { id status } }
  query Offerings($filter: OfferingFilter, $first: Int, $after: String) { offerings(filter: $filter, first: $first, after: $after) { totalCount edges { cursor node { id title priceCents category seatsLeft provider { id name } } } pageInfo { hasNextPage endCursor } } }
  query Categories { categories { slug name } }
  query MyGrants { me { grants { eligibleOfferings(first: 20) { edges { node { id title priceCents category } } pageInfo { hasNextPage endCursor } } } } }
`;

function compose(): GraphQLSchema {
  const result = composeServices(
    [
      { name: 'identity', url: 'http://identity/graphql', sdl: identity },
      { name: 'funds', url: 'http://funds/graphql', sdl: funds },
      { name: 'catalog', url: 'http://catalog/graphql', sdl: catalog },
    ].map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })),
  );
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
  // Through SDL: composition bundles its own copy of graphql-js.
  return buildSchema(printSchema(result.schema.toAPISchema()));
}

describe("catalog's schema in the supergraph", () => {
  it("composes with identity's and funds' entities as the contract defines them", () => {
    expect(compose).not.toThrow();
  });

  it("serves every contract operation, with the provider's name coming from identity", () => {
    expect(validate(compose(), parse(CONTRACT_OPERATIONS)).map((e) => e.message)).toEqual([]);
  });
});
