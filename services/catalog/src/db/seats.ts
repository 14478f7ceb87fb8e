import type { Database } from '@mentoring/db';
import { notFound, UserError } from '@mentoring/subgraph-kit';
import { type OfferingStatus, seatRefusal, seatsLeft } from '../domain/offering';

interface SeatRow {
  capacity: number | null;
  seats_reserved: number;
}

/**
 * Takes one seat of a published offering for a redemption, exactly once per
 * redemption id. The reservation row and the counter change in one
 * transaction; the conditional update (and the table's CHECK) make overselling
 * impossible under any concurrency.
 */
export async function reserveSeat(
  db: Database,
  { offeringId, redemptionId }: { offeringId: string; redemptionId: string },
): Promise<{ seatsLeft: number | null }> {
  try {
    return await db.transaction(async (tx) => {
      const inserted = await tx.query(
        `INSERT INTO seat_reservations (redemption_id, offering_id) VALUES ($1, $2)
         ON CONFLICT (redemption_id) DO NOTHING RETURNING redemption_id`,
        [redemptionId, offeringId],
      );
      if (inserted.length === 0) {
        // Seen before: answer as the first time, without taking another seat.
        const [previous] = await tx.query<SeatRow & { offering_id: string | null; released: boolean }>(
          `SELECT r.offering_id, r.released_at IS NOT NULL AS released, o.capacity, o.seats_reserved
             FROM seat_reservations r LEFT JOIN offerings o ON o.id = r.offering_id
            WHERE r.redemption_id = $1`,
          [redemptionId],
        );
        if (previous?.released)
          throw new UserError('ALREADY_FINAL', 'The seat of this redemption was already released.');
        if (previous?.offering_id !== offeringId)
          throw new UserError(
            'IDEMPOTENCY_CONFLICT',
            'This redemption already holds a seat of another offering.',
          );
        return {
          seatsLeft: seatsLeft({ capacity: previous.capacity, seatsReserved: previous.seats_reserved }),
        };
      }
      const [taken] = await tx.query<SeatRow>(
        `UPDATE offerings SET seats_reserved = seats_reserved + 1
          WHERE id = $1 AND status = 'PUBLISHED' AND (capacity IS NULL OR seats_reserved < capacity)
          RETURNING capacity, seats_reserved`,
        [offeringId],
      );
      if (taken)
        return { seatsLeft: seatsLeft({ capacity: taken.capacity, seatsReserved: taken.seats_reserved }) };
      const [offering] = await tx.query<{ status: OfferingStatus }>(
        'SELECT status FROM offerings WHERE id = $1',
        [offeringId],
      );
      throw seatRefusal(offering ?? null); // rolls the reservation row back
    });
  } catch (error) {
    if (pgCode(error) === '23503') throw notFound('Offering'); // the reservation's offering does not exist
    throw error;
  }
}

/**
 * Gives the redemption's seat back. Idempotent: only the first release frees
 * a seat. A release for a redemption that holds nothing is remembered, so a
 * reservation arriving late for it is refused instead of leaking a seat.
 */
export function releaseSeat(
  db: Database,
  { redemptionId }: { redemptionId: string },
): Promise<{ released: boolean }> {
  return db.transaction(async (tx) => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const [reservation] = await tx.query<{ offering_id: string | null }>(
        `UPDATE seat_reservations SET released_at = clock_timestamp()
          WHERE redemption_id = $1 AND released_at IS NULL RETURNING offering_id`,
        [redemptionId],
      );
      if (reservation) {
        await tx.query('UPDATE offerings SET seats_reserved = seats_reserved - 1 WHERE id = $1', [
          reservation.offering_id,
        ]);
        return { released: true };
      }
      const remembered = await tx.query(
        `INSERT INTO seat_reservations (redemption_id, offering_id, released_at)
         VALUES ($1, NULL, clock_timestamp()) ON CONFLICT (redemption_id) DO NOTHING RETURNING redemption_id`,
        [redemptionId],
      );
      // Inserted: nothing was held. Conflict: released before, or reserved
      // concurrently and just committed — look once more.
      if (remembered.length > 0) return { released: false };
    }
    return { released: false };
  });
}

function pgCode(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}
