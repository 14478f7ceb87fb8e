import type { CatalogContext } from '../context';
import { type GrantSpendRules, queryForGrant } from '../domain/listing';
import { offeringConnection } from './connection';

export const Grant = {
  /** The grant's representation carries its spend rules (`@requires`), resolved by funds. */
  eligibleOfferings: (
    grant: GrantSpendRules,
    args: { first?: number | null; after?: string | null },
    ctx: CatalogContext,
  ) => offeringConnection(ctx, queryForGrant(grant), args),
};
