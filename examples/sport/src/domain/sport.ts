import { badInput } from '@mentoring/subgraph-kit';

export const SPORT_LEVELS = ['BEGINNER', 'INTERMEDIATE', 'ADVANCED', 'COMPETITIVE'] as const;
export type SportLevel = (typeof SPORT_LEVELS)[number];

/** What makes an offering a sport course. */
export interface SportDetails {
  offeringId: string;
  /** The offering's provider (catalog's), copied when the details are set. */
  providerId: string;
  discipline: string;
  level: SportLevel;
  ageGroup: string | null;
}

/** A provider's registration as a sport club. */
export interface SportClub {
  organizationId: string;
  federationCode: string;
  disciplines: string[];
}

const FEDERATION_CODE = /^[A-Z0-9][A-Z0-9-]{1,29}$/;
const MAX_DISCIPLINES = 20;

/** `  Basket ` and `basket` are one discipline. */
export function discipline(value: string, field = 'discipline'): string {
  const normalized = value.trim().toLowerCase().replace(/\s+/g, ' ');
  if (normalized.length === 0 || normalized.length > 60)
    throw badInput('A discipline is 1 to 60 characters long.', field);
  return normalized;
}

export function sportDetails(
  offeringId: string,
  providerId: string,
  input: { discipline: string; level: SportLevel; ageGroup?: string | null },
): SportDetails {
  const ageGroup = input.ageGroup?.trim() || null;
  if (ageGroup && ageGroup.length > 40)
    throw badInput('An age group is at most 40 characters long.', 'ageGroup');
  return { offeringId, providerId, discipline: discipline(input.discipline), level: input.level, ageGroup };
}

export function sportClub(
  organizationId: string,
  input: { federationCode: string; disciplines: string[] },
): SportClub {
  const federationCode = input.federationCode.trim().toUpperCase();
  if (!FEDERATION_CODE.test(federationCode))
    throw badInput('A federation code is 2 to 30 letters, digits or dashes.', 'federationCode');
  const disciplines = [...new Set(input.disciplines.map((d) => discipline(d, 'disciplines')))];
  if (disciplines.length === 0 || disciplines.length > MAX_DISCIPLINES)
    throw badInput(`A club teaches 1 to ${MAX_DISCIPLINES} disciplines.`, 'disciplines');
  return { organizationId, federationCode, disciplines };
}
