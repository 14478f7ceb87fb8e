import type { Sql } from '@mentoring/db';
import { and, asc, count, eq, getTableColumns, inArray, lte, ne, type SQL, sql } from 'drizzle-orm';
import type { OfferingCursor } from '../domain/cursor';
import type { OfferingQuery } from '../domain/listing';
import {
  capacityBelowReserved,
  type Offering,
  type OfferingFields,
  type OfferingStatus,
} from '../domain/offering';
import { offerings } from './schema';

// Every column but the search document, which is only ever matched against.
const { search: _search, ...offeringColumns } = getTableColumns(offerings);
const listingOrder = [asc(offerings.createdAt), asc(offerings.id)];

export async function insertOffering(
  db: Sql,
  offering: OfferingFields & { providerId: string; communityId: string },
): Promise<Offering> {
  const [row] = await db.drizzle.insert(offerings).values(offering).returning(offeringColumns);
  return row!;
}

/** Offerings by id, any status; unknown ids are left out. One statement whatever the number of ids. */
export function findOfferings(db: Sql, ids: readonly string[]): Promise<Offering[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.drizzle
    .select(offeringColumns)
    .from(offerings)
    .where(inArray(offerings.id, [...ids]));
}

export async function findOffering(db: Sql, id: string): Promise<Offering | null> {
  return (await findOfferings(db, [id]))[0] ?? null;
}

/**
 * Saves new field values unless the offering was archived meanwhile (null
 * then). A capacity below the seats reserved meanwhile is refused by the
 * database's CHECK and reported as such.
 */
export async function updateOfferingFields(
  db: Sql,
  id: string,
  fields: OfferingFields,
): Promise<Offering | null> {
  try {
    const [row] = await db.drizzle
      .update(offerings)
      .set({ ...fields, updatedAt: sql`clock_timestamp()` })
      .where(and(eq(offerings.id, id), ne(offerings.status, 'ARCHIVED')))
      .returning(offeringColumns);
    return row ?? null;
  } catch (error) {
    if (isCheckViolation(error, 'offerings_seats_within_capacity')) {
      const current = await findOffering(db, id);
      throw capacityBelowReserved(current?.seatsReserved ?? 0);
    }
    throw error;
  }
}

/** Moves the offering from `from` to `to`; null when its status was no longer `from`. */
export async function changeOfferingStatus(
  db: Sql,
  id: string,
  from: OfferingStatus,
  to: OfferingStatus,
): Promise<Offering | null> {
  const [row] = await db.drizzle
    .update(offerings)
    .set({
      status: to,
      updatedAt: sql`clock_timestamp()`,
      ...(to === 'PUBLISHED' ? { publishedAt: sql`clock_timestamp()` } : {}),
      ...(to === 'ARCHIVED' ? { archivedAt: sql`clock_timestamp()` } : {}),
    })
    .where(and(eq(offerings.id, id), eq(offerings.status, from)))
    .returning(offeringColumns);
  return row ?? null;
}

function publishedMatching(query: OfferingQuery): SQL {
  const conditions: SQL[] = [eq(offerings.status, 'PUBLISHED')];
  if (query.communityId) conditions.push(eq(offerings.communityId, query.communityId));
  if (query.categories?.length) conditions.push(inArray(offerings.category, query.categories));
  if (query.providerIds?.length) conditions.push(inArray(offerings.providerId, query.providerIds));
  if (query.offeringIds?.length) conditions.push(inArray(offerings.id, query.offeringIds));
  if (query.maxPriceCents !== undefined) conditions.push(lte(offerings.priceCents, query.maxPriceCents));
  if (query.search)
    conditions.push(
      sql`${offerings.search} @@ websearch_to_tsquery('italian'::regconfig, catalog_fold(${query.search}))`,
    );
  return and(...conditions)!;
}

/** Up to `limit` published offerings matching `query`, after `after`, in the stable listing order. */
export function listPublishedOfferings(
  db: Sql,
  query: OfferingQuery,
  { limit, after }: { limit: number; after?: OfferingCursor | undefined },
): Promise<Offering[]> {
  const where = after
    ? and(
        publishedMatching(query),
        sql`(${offerings.createdAt}, ${offerings.id}) > (${after.createdAt.toISOString()}::timestamptz, ${after.id})`,
      )
    : publishedMatching(query);
  return db.drizzle
    .select(offeringColumns)
    .from(offerings)
    .where(where)
    .orderBy(...listingOrder)
    .limit(limit);
}

export async function countPublishedOfferings(db: Sql, query: OfferingQuery): Promise<number> {
  const [row] = await db.drizzle.select({ total: count() }).from(offerings).where(publishedMatching(query));
  return row?.total ?? 0;
}

/** The published offerings of several providers at once, in the listing order. */
export function publishedOfferingsOfProviders(db: Sql, providerIds: readonly string[]): Promise<Offering[]> {
  if (providerIds.length === 0) return Promise.resolve([]);
  return db.drizzle
    .select(offeringColumns)
    .from(offerings)
    .where(and(eq(offerings.status, 'PUBLISHED'), inArray(offerings.providerId, [...providerIds])))
    .orderBy(...listingOrder);
}

function isCheckViolation(error: unknown, constraint: string): boolean {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const { code, constraint: name } = cause as { code?: string; constraint?: string };
  return code === '23514' && name === constraint;
}
