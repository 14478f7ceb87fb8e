import type { CatalogContext } from '../context';
import { countPublishedOfferings, listPublishedOfferings } from '../db/offerings';
import { decodeCursor, encodeCursor, pageSize } from '../domain/cursor';
import type { OfferingQuery } from '../domain/listing';

/**
 * One page of published offerings as a connection. `totalCount` is counted
 * only when asked for (the default resolver calls it).
 */
export async function offeringConnection(
  { db }: CatalogContext,
  query: OfferingQuery,
  { first, after }: { first?: number | null; after?: string | null },
) {
  const limit = pageSize(first);
  const cursor = after ? decodeCursor(after) : undefined;
  const rows = await listPublishedOfferings(db, query, { limit: limit + 1, after: cursor });
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ cursor: encodeCursor(node), node }));
  return {
    totalCount: () => countPublishedOfferings(db, query),
    edges,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
