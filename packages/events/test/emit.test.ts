import { type Database, migrate, openPostgres } from '@mentoring/db';
import { createTestDatabase } from '@mentoring/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitEvent, type PayloadOf } from '../src';

let db: Database;
beforeAll(async () => {
  db = openPostgres({ service: 'events-test', url: await createTestDatabase('events') });
  await migrate(db, []);
});
afterAll(() => db.close());

describe('emitting a notification event', () => {
  it('writes it to the outbox on the notifications queue, extra fields kept', async () => {
    const id = await db.transaction((tx) =>
      emitEvent(tx, 'payout.paid', {
        payoutId: 'p1',
        providerId: 'o1',
        amountCents: 8000,
        bankReference: 'BANK-1',
        runId: 'r1',
      }),
    );
    const [row] = await db.query<{ queue: string; type: string; payload: unknown }>(
      'SELECT queue, type, payload FROM outbox WHERE id = $1',
      [id],
    );
    expect(row).toEqual({
      queue: 'notifications',
      type: 'payout.paid',
      payload: { payoutId: 'p1', providerId: 'o1', amountCents: 8000, bankReference: 'BANK-1', runId: 'r1' },
    });
  });

  it('refuses a payload the notifications worker could not read, and writes nothing', async () => {
    const incomplete = { contributionId: 'c1', fundId: 'f1', sponsorOrganizationId: 'o1', amountCents: 100 };
    await expect(
      db.transaction((tx) =>
        emitEvent(tx, 'contribution.received', incomplete as PayloadOf<'contribution.received'>),
      ),
    ).rejects.toThrow(/fundName/);
    const rows = await db.query("SELECT 1 FROM outbox WHERE type = 'contribution.received'");
    expect(rows).toHaveLength(0);
  });
});
