import { byKeys } from '@mentoring/subgraph-kit';
import type { CatalogContext } from './context';
import { findOfferings, publishedOfferingsOfProviders } from './db/offerings';
import type { Offering } from './domain/offering';

/** Offerings by id, any status: every id asked during one request in one query. */
export const offeringById = ({ loaders, db }: CatalogContext) =>
  loaders.get<string, Offering | null>('offeringById', async (ids) =>
    byKeys(ids, await findOfferings(db, ids), (o) => o.id),
  );

/** The published offerings of each provider asked during one request, in one query. */
export const publishedOfferingsOf = ({ loaders, db }: CatalogContext) =>
  loaders.get<string, Offering[]>('publishedOfferingsOf', async (providerIds) => {
    const byProvider = new Map<string, Offering[]>();
    for (const offering of await publishedOfferingsOfProviders(db, providerIds)) {
      byProvider.set(offering.providerId, [...(byProvider.get(offering.providerId) ?? []), offering]);
    }
    return providerIds.map((id) => byProvider.get(id) ?? []);
  });
