// Internal API contracts served by the catalog service (input and output schemas).
import { z } from 'zod';
import { contract } from './client';

const id = z.string().min(1).max(100);

export const offeringStatus = z.enum(['DRAFT', 'PUBLISHED', 'ARCHIVED']);

/**
 * Takes one seat of a PUBLISHED offering for a redemption. Idempotent on
 * `redemptionId`: repeating it takes no second seat and answers the same.
 * `seatsLeft` is null for offerings without a capacity. SOLD_OUT when no seat
 * is left; NOT_FOUND for an unknown offering; BAD_USER_INPUT when the offering
 * is not published; ALREADY_FINAL when that redemption's seat was released;
 * IDEMPOTENCY_CONFLICT when the redemption holds a seat of another offering.
 */
export const reserveSeat = contract(
  'catalog',
  'reserveSeat',
  z.object({ offeringId: id, redemptionId: id }),
  z.object({ seatsLeft: z.number().int().nonnegative().nullable() }),
);

/**
 * Gives the redemption's seat back. Idempotent: `released` is true only for
 * the call that freed the seat. Releasing a redemption that holds no seat
 * answers false, and a reservation arriving later for it is refused.
 */
export const releaseSeat = contract(
  'catalog',
  'releaseSeat',
  z.object({ redemptionId: id }),
  z.object({ released: z.boolean() }),
);

/** Offerings by id, any status (unknown ids left out). */
export const getOfferings = contract(
  'catalog',
  'getOfferings',
  z.object({ ids: z.array(id).max(500) }),
  z.array(
    z.object({
      id,
      providerId: id,
      communityId: id,
      category: z.string(),
      priceCents: z.number().int().positive(),
      status: offeringStatus,
      minAge: z.number().int().nullable(),
      maxAge: z.number().int().nullable(),
      title: z.string(),
    }),
  ),
);
