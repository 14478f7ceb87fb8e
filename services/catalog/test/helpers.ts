import { randomUUID } from 'node:crypto';
import { catalogApi, createInternalClient } from '@mentoring/internal-api';
import { createServiceTokens, type Membership, type Subgraph } from '@mentoring/subgraph-kit';
import { createTestDatabase, createTestTokens, graphqlClient, testRedis } from '@mentoring/testing';
import pg from 'pg';
import { afterAll } from 'vitest';
import { createCatalog } from '../src/app';
import type { ProviderInfo } from '../src/domain/offering';

export const SERVICE_TOKEN_SECRET = 'catalog-tests-service-token-secret-0123456789';

/**
 * Identity's organizations as catalog's lookup sees them. Identity is another
 * service: this directory stands in for its internal API, nothing else is faked.
 */
export const ORGANIZATIONS: Record<string, ProviderInfo> = {
  costa: { communityId: 'vigevano', kind: 'PROVIDER' },
  teatro: { communityId: 'vigevano', kind: 'PROVIDER' },
  palestra: { communityId: 'pavia', kind: 'PROVIDER' },
  danza: { communityId: 'vigevano', kind: 'PROVIDER' },
  fondazione: { communityId: 'vigevano', kind: 'SPONSOR' },
};

export const staffOf = (organizationId: string, role: Membership['role'] = 'STAFF'): Membership[] => [
  { organizationId, role, kind: 'PROVIDER' },
];

/** A catalog on a fresh database, with tokens for the viewers the tests need. */
export async function startCatalog(label: string) {
  const databaseUrl = await createTestDatabase(label);
  const signer = await createTestTokens();
  const catalog: Subgraph = await createCatalog({
    exactDatabaseUrl: databaseUrl,
    redisUrl: testRedis(label).redisUrl,
    serviceTokenSecret: SERVICE_TOKEN_SECRET,
    verifyToken: signer.verifyToken,
    lookupProvider: async (id) => ORGANIZATIONS[id] ?? null,
  });
  afterAll(() => catalog.close());
  const url = await catalog.listen({ port: 0 });
  const tokens = {
    costaStaff: await signer.tokenFor({ userId: 'u-costa', memberships: staffOf('costa') }),
    costaAdmin: await signer.tokenFor({ userId: 'u-costa-admin', memberships: staffOf('costa', 'ADMIN') }),
    teatroStaff: await signer.tokenFor({ userId: 'u-teatro', memberships: staffOf('teatro') }),
    palestraStaff: await signer.tokenFor({ userId: 'u-palestra', memberships: staffOf('palestra') }),
    fondazioneAdmin: await signer.tokenFor({
      userId: 'u-fondazione',
      memberships: [{ organizationId: 'fondazione', role: 'ADMIN', kind: 'SPONSOR' }],
    }),
    operator: await signer.tokenFor({ userId: 'u-operator', roles: ['OPERATOR'] }),
    someone: await signer.tokenFor({ userId: 'u-someone' }),
  };
  const gql = graphqlClient(`${url}/graphql`);
  const internal = createInternalClient({
    tokens: createServiceTokens(SERVICE_TOKEN_SECRET, 'redemption'),
    urls: { catalog: url },
  });
  return { url, gql, tokens, internal, databaseUrl, catalog };
}

export type TestCatalog = Awaited<ReturnType<typeof startCatalog>>;

export interface OfferingInput {
  providerOrganizationId: string;
  title: string;
  description?: string | null;
  category: string;
  priceCents: number;
  capacity?: number | null;
  startsAt?: string | null;
  endsAt?: string | null;
  minAge?: number | null;
  maxAge?: number | null;
}

// The contract's documents as catalog serves them alone: `provider { name }` is
// identity's field, resolved through federation (see composition.test.ts).
export const CREATE_OFFERING = `mutation CreateOffering($input: CreateOfferingInput!) {
  createOffering(input: $input) { id title status priceCents category capacity seatsLeft provider { id } }
}`;
export const PUBLISH_OFFERING = `mutation PublishOffering($id: ID!) { publishOffering(id: $id) { id status } }`;
export const OFFERINGS = `query Offerings($filter: OfferingFilter, $first: Int, $after: String) {
  offerings(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { cursor node { id title priceCents category seatsLeft provider { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export interface OfferingsPage {
  offerings: {
    totalCount: number;
    edges: Array<{
      cursor: string;
      node: { id: string; title: string; priceCents: number; category: string };
    }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/** Creates (as an operator) and optionally publishes an offering; returns its id. */
export async function offer(
  { gql, tokens }: TestCatalog,
  input: Partial<OfferingInput> & { title: string },
  { publish = true } = {},
): Promise<string> {
  const created = await gql<{ createOffering: { id: string } }>(
    CREATE_OFFERING,
    { input: { providerOrganizationId: 'costa', category: 'music', priceCents: 8000, ...input } },
    { token: tokens.operator },
  );
  if (created.errors) throw new Error(JSON.stringify(created.errors));
  const id = created.data!.createOffering.id;
  if (publish) {
    const published = await gql(PUBLISH_OFFERING, { id }, { token: tokens.operator });
    if (published.errors) throw new Error(JSON.stringify(published.errors));
  }
  return id;
}

export const reserve = (catalog: TestCatalog, offeringId: string, redemptionId: string = randomUUID()) =>
  catalog.internal(catalogApi.reserveSeat, { offeringId, redemptionId });

/**
 * Counts the SQL statements this process sends to one database, by wrapping
 * the PostgreSQL client every pool (node-postgres, hence Drizzle) goes through.
 */
export function countStatements(databaseUrl: string) {
  const database = new URL(databaseUrl).pathname.slice(1);
  const original = pg.Client.prototype.query;
  let statements = 0;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (this.database === database) statements++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  return {
    async during(run: () => Promise<unknown>): Promise<number> {
      const before = statements;
      await run();
      return statements - before;
    },
    restore() {
      pg.Client.prototype.query = original;
    },
  };
}
