import { catalogApi, createInternalClient } from '@mentoring/internal-api';
import type { ServiceTokens } from '@mentoring/subgraph-kit';

/** The provider of an offering, as catalog knows it; null when catalog has no such offering. */
export type OfferingLookup = (offeringId: string) => Promise<{ providerId: string } | null>;

/**
 * Asks catalog's internal API (`getOfferings`, with a service token) who
 * provides an offering, so a caller cannot claim an offering of another
 * provider.
 */
export function catalogOfferingLookup({
  catalogUrl,
  tokens,
}: {
  catalogUrl: string;
  tokens: Pick<ServiceTokens, 'sign'>;
}): OfferingLookup {
  // Only the origin: CATALOG_URL may name catalog's /graphql endpoint.
  const call = createInternalClient({ tokens, urls: { catalog: new URL(catalogUrl).origin } });
  return async (offeringId) => {
    const [offering] = await call(catalogApi.getOfferings, { ids: [offeringId] });
    return offering ? { providerId: offering.providerId } : null;
  };
}
