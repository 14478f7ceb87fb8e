import { badInput } from '@mentoring/subgraph-kit';

/** Which published offerings to list; every rule given narrows the list. */
export interface OfferingQuery {
  communityId?: string;
  categories?: string[];
  providerIds?: string[];
  offeringIds?: string[];
  /** Full-text search over title and description (Italian, accents ignored). */
  search?: string;
  maxPriceCents?: number;
}

export interface OfferingFilterInput {
  communityId?: string | null;
  category?: string | null;
  providerId?: string | null;
  search?: string | null;
  maxPriceCents?: number | null;
}

export const SEARCH_MAX = 200;

/** The public `offerings(filter)` argument as a query; a blank search is no search. */
export function queryFromFilter(filter: OfferingFilterInput | null | undefined): OfferingQuery {
  const query: OfferingQuery = {};
  if (!filter) return query;
  if (filter.communityId) query.communityId = filter.communityId;
  if (filter.category) query.categories = [filter.category];
  if (filter.providerId) query.providerIds = [filter.providerId];
  const search = filter.search?.trim();
  if (search) {
    if (search.length > SEARCH_MAX)
      throw badInput(`The search text must be at most ${SEARCH_MAX} characters.`, 'search');
    query.search = search;
  }
  if (filter.maxPriceCents !== null && filter.maxPriceCents !== undefined) {
    if (filter.maxPriceCents < 0) throw badInput('maxPriceCents cannot be negative.', 'maxPriceCents');
    query.maxPriceCents = filter.maxPriceCents;
  }
  return query;
}

/** A grant's spend rules, as funds exposes them: an empty list allows anything. */
export interface GrantSpendRules {
  communityId: string;
  eligibleCategories: string[];
  eligibleProviderIds: string[];
  eligibleOfferingIds: string[];
}

/** The published offerings a grant may buy: its community, narrowed by each non-empty rule. */
export function queryForGrant(grant: GrantSpendRules): OfferingQuery {
  const query: OfferingQuery = { communityId: grant.communityId };
  if (grant.eligibleCategories.length > 0) query.categories = grant.eligibleCategories;
  if (grant.eligibleProviderIds.length > 0) query.providerIds = grant.eligibleProviderIds;
  if (grant.eligibleOfferingIds.length > 0) query.offeringIds = grant.eligibleOfferingIds;
  return query;
}
