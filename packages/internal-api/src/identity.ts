// Internal API contracts served by the identity service (input and output schemas).
import { z } from 'zod';
import { contract } from './client';

const id = z.string().min(1).max(100);
const ids = z.array(id).max(500);
/** A calendar date, `YYYY-MM-DD`. */
const date = z.iso.date();
const organizationKind = z.enum(['SPONSOR', 'SCHOOL', 'SOCIAL_AGENCY', 'PROVIDER']);

/**
 * The beneficiary (grant recipient) a referrer names, stored once per person:
 * deduplicated on community + normalized first and last name + birth date.
 * Idempotent: the same person always gets the same id (`created` is true only
 * for the call that stored them). Email addresses fill in missing ones, never
 * overwrite. NOT_FOUND when the referrer organization is not in the community.
 */
export const findOrCreateBeneficiary = contract(
  'identity',
  'findOrCreateBeneficiary',
  z.object({
    communityId: id,
    referrerOrganizationId: id,
    firstName: z.string().trim().min(1).max(100),
    lastName: z.string().trim().min(1).max(100),
    birthDate: date,
    email: z.email().max(254).optional(),
    guardianEmail: z.email().max(254).optional(),
  }),
  z.object({ id, birthDate: date, communityId: id, created: z.boolean() }),
);

/** Beneficiaries by id (ids with no beneficiary are left out). No names: they stay in identity. */
export const getBeneficiaries = contract(
  'identity',
  'getBeneficiaries',
  z.object({ ids }),
  z.array(
    z.object({
      id,
      communityId: id,
      birthDate: date,
      holderUserId: id.nullable(),
      email: z.string().nullable(),
      guardianEmail: z.string().nullable(),
    }),
  ),
);

/**
 * Makes `userId` the holder of the beneficiary's grants (claiming a code).
 * Under 14 on `today` (default: the current UTC date) only a guardian may
 * claim, with `guardianConsent: true` (recorded with time, user and consent
 * text version) — otherwise NOT_ELIGIBLE. Already held by another user →
 * FORBIDDEN; by the same user → the same answer again.
 */
export const linkBeneficiaryHolder = contract(
  'identity',
  'linkBeneficiaryHolder',
  z.object({ beneficiaryId: id, userId: id, guardianConsent: z.boolean(), today: date.optional() }),
  z.object({ holderUserId: id }),
);

/** Organizations by id (unknown ids left out), with the payout and contact details. */
export const getOrganizations = contract(
  'identity',
  'getOrganizations',
  z.object({ ids }),
  z.array(
    z.object({
      id,
      communityId: id,
      kind: organizationKind,
      name: z.string(),
      iban: z.string().nullable(),
      email: z.string().nullable(),
    }),
  ),
);

/** Users by id (unknown ids left out), for notifications. `locale` is 'it' unless the user chose otherwise. */
export const getUsers = contract(
  'identity',
  'getUsers',
  z.object({ ids }),
  z.array(z.object({ id, email: z.string(), displayName: z.string(), locale: z.string() })),
);
