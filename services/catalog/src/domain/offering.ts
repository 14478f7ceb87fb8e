import { badInput, notFound, UserError } from '@mentoring/subgraph-kit';

export type OfferingStatus = 'DRAFT' | 'PUBLISHED' | 'ARCHIVED';

/** An offering as stored. */
export interface Offering {
  id: string;
  providerId: string;
  communityId: string;
  title: string;
  description: string | null;
  category: string;
  priceCents: number;
  capacity: number | null;
  seatsReserved: number;
  startsAt: Date | null;
  endsAt: Date | null;
  minAge: number | null;
  maxAge: number | null;
  status: OfferingStatus;
  createdAt: Date;
}

/** What a provider describes; every field checked by `validateOfferingFields`. */
export interface OfferingFields {
  title: string;
  description: string | null;
  category: string;
  priceCents: number;
  capacity: number | null;
  startsAt: Date | null;
  endsAt: Date | null;
  minAge: number | null;
  maxAge: number | null;
}

/** The fields as a caller sends them: optional ones may be missing or null. */
export type OfferingFieldsInput = Pick<OfferingFields, 'title' | 'category' | 'priceCents'> &
  Partial<Omit<OfferingFields, 'title' | 'category' | 'priceCents'>>;

/** A change: a missing field keeps its value, `null` clears an optional one. */
export type OfferingChanges = { [K in keyof OfferingFields]?: OfferingFields[K] | null };

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 5000;
export const AGE_MAX = 120;

/** Checks and normalizes an offering's fields; the first problem is refused with BAD_USER_INPUT. */
export function validateOfferingFields(
  input: OfferingFieldsInput,
  knownCategories: ReadonlySet<string>,
): OfferingFields {
  const title = input.title.trim();
  if (title === '') throw badInput('The title must not be empty.', 'title');
  if (title.length > TITLE_MAX) throw badInput(`The title must be at most ${TITLE_MAX} characters.`, 'title');

  const description = input.description?.trim() || null;
  if (description && description.length > DESCRIPTION_MAX)
    throw badInput(`The description must be at most ${DESCRIPTION_MAX} characters.`, 'description');

  if (!knownCategories.has(input.category))
    throw badInput(
      `Unknown category "${input.category}". Choose one of: ${[...knownCategories].join(', ')}.`,
      'category',
    );

  if (!Number.isInteger(input.priceCents) || input.priceCents <= 0)
    throw badInput('The price must be a whole number of cents greater than zero.', 'priceCents');

  const capacity = input.capacity ?? null;
  if (capacity !== null && (!Number.isInteger(capacity) || capacity < 1))
    throw badInput('The capacity must be at least 1 seat (leave it empty for unlimited seats).', 'capacity');

  const startsAt = input.startsAt ?? null;
  const endsAt = input.endsAt ?? null;
  if (startsAt && endsAt && endsAt.getTime() < startsAt.getTime())
    throw badInput('The offering cannot end before it starts.', 'endsAt');

  const minAge = checkAge(input.minAge ?? null, 'minAge');
  const maxAge = checkAge(input.maxAge ?? null, 'maxAge');
  if (minAge !== null && maxAge !== null && minAge > maxAge)
    throw badInput(`The minimum age (${minAge}) cannot be above the maximum age (${maxAge}).`, 'minAge');

  return {
    title,
    description,
    category: input.category,
    priceCents: input.priceCents,
    capacity,
    startsAt,
    endsAt,
    minAge,
    maxAge,
  };
}

function checkAge(age: number | null, field: 'minAge' | 'maxAge'): number | null {
  if (age !== null && (!Number.isInteger(age) || age < 0 || age > AGE_MAX))
    throw badInput(`${field} must be a whole number of years between 0 and ${AGE_MAX}.`, field);
  return age;
}

/**
 * Applies a change to an existing offering and validates the result as a
 * whole (an end date is checked against the start date it will have).
 */
export function applyOfferingChanges(
  current: Offering,
  changes: OfferingChanges,
  knownCategories: ReadonlySet<string>,
): OfferingFields {
  for (const field of ['title', 'category', 'priceCents'] as const) {
    if (changes[field] === null) throw badInput(`${field} cannot be removed, only changed.`, field);
  }
  const pick = <K extends keyof OfferingFields>(field: K): OfferingFields[K] =>
    (changes[field] === undefined ? current[field] : changes[field]) as OfferingFields[K];
  const fields = validateOfferingFields(
    {
      title: pick('title'),
      description: pick('description'),
      category: pick('category'),
      priceCents: pick('priceCents'),
      capacity: pick('capacity'),
      startsAt: pick('startsAt'),
      endsAt: pick('endsAt'),
      minAge: pick('minAge'),
      maxAge: pick('maxAge'),
    },
    knownCategories,
  );
  if (fields.capacity !== null && fields.capacity < current.seatsReserved)
    throw capacityBelowReserved(current.seatsReserved);
  return fields;
}

export const capacityBelowReserved = (reserved: number) =>
  badInput(`The capacity cannot be lower than the ${reserved} seat(s) already reserved.`, 'capacity');

/** Seats still free, or null when the offering has no capacity limit. */
export function seatsLeft(offering: Pick<Offering, 'capacity' | 'seatsReserved'>): number | null {
  return offering.capacity === null ? null : Math.max(0, offering.capacity - offering.seatsReserved);
}

// ------------------------------------------------------------ lifecycle

export type OfferingAction = 'publish' | 'archive';

/** Archived offerings are final. */
export const offeringArchived = () =>
  new UserError('ALREADY_FINAL', 'This offering is archived: it can no longer be changed.');

/** Only drafts and published offerings can be edited. */
export function assertEditable(status: OfferingStatus): void {
  if (status === 'ARCHIVED') throw offeringArchived();
}

/**
 * `DRAFT → PUBLISHED → ARCHIVED`; a draft may also be archived (discarded).
 * Returns the status the action leads to, or refuses it.
 */
export function nextStatus(status: OfferingStatus, action: OfferingAction): OfferingStatus {
  if (status === 'ARCHIVED') throw offeringArchived();
  if (action === 'publish') {
    if (status === 'PUBLISHED') throw badInput('This offering is already published.');
    return 'PUBLISHED';
  }
  return 'ARCHIVED';
}

// ---------------------------------------------------------------- seats

/**
 * Why a seat could not be taken, once the conditional update found no free
 * seat on a published offering.
 */
export function seatRefusal(offering: Pick<Offering, 'status'> | null): UserError {
  if (!offering) return notFound('Offering');
  if (offering.status !== 'PUBLISHED')
    return badInput(`This offering is not open for redemptions (it is ${offering.status.toLowerCase()}).`);
  return new UserError('SOLD_OUT', 'This offering is sold out: no seats are left.');
}

// ------------------------------------------------------------ providers

/** What catalog needs to know about the organization an offering belongs to. */
export interface ProviderInfo {
  communityId: string;
  kind: string;
}

/** Only organizations of kind PROVIDER can offer anything. */
export function assertProvider(organization: ProviderInfo | null): ProviderInfo {
  if (!organization) throw notFound('Organization');
  if (organization.kind !== 'PROVIDER')
    throw badInput(
      `Only provider organizations can create offerings; this one is a ${organization.kind}.`,
      'providerOrganizationId',
    );
  return organization;
}
