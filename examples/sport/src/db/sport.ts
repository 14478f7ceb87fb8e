import type { Sql } from '@mentoring/db';
import { arrayContains, asc, inArray, sql } from 'drizzle-orm';
import type { SportClub, SportDetails } from '../domain/sport';
import { sportClubs, sportDetails } from './schema';

export async function saveSportDetails(db: Sql, details: SportDetails): Promise<SportDetails> {
  const { offeringId, ...rest } = details;
  await db.drizzle
    .insert(sportDetails)
    .values(details)
    .onConflictDoUpdate({ target: sportDetails.offeringId, set: { ...rest, updatedAt: sql`now()` } });
  return details;
}

export function findSportDetails(db: Sql, offeringIds: readonly string[]): Promise<SportDetails[]> {
  return db.drizzle
    .select({
      offeringId: sportDetails.offeringId,
      providerId: sportDetails.providerId,
      discipline: sportDetails.discipline,
      level: sportDetails.level,
      ageGroup: sportDetails.ageGroup,
    })
    .from(sportDetails)
    .where(inArray(sportDetails.offeringId, [...offeringIds]));
}

export async function saveSportClub(db: Sql, club: SportClub): Promise<SportClub> {
  const { organizationId, ...rest } = club;
  await db.drizzle
    .insert(sportClubs)
    .values(club)
    .onConflictDoUpdate({ target: sportClubs.organizationId, set: { ...rest, updatedAt: sql`now()` } });
  return club;
}

const clubColumns = {
  organizationId: sportClubs.organizationId,
  federationCode: sportClubs.federationCode,
  disciplines: sportClubs.disciplines,
};

export function findSportClubs(db: Sql, organizationIds: readonly string[]): Promise<SportClub[]> {
  return db.drizzle
    .select(clubColumns)
    .from(sportClubs)
    .where(inArray(sportClubs.organizationId, [...organizationIds]));
}

/** Every registered club, in a stable order; only those teaching `discipline` when given. */
export function listSportClubs(db: Sql, discipline?: string): Promise<SportClub[]> {
  return db.drizzle
    .select(clubColumns)
    .from(sportClubs)
    .where(discipline ? arrayContains(sportClubs.disciplines, [discipline]) : undefined)
    .orderBy(asc(sportClubs.organizationId))
    .limit(500);
}
