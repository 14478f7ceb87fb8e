// The redemptions table: every state change is one conditional UPDATE, so a
// row has one owner at a time (the saga, a desk, a maintenance job).
import type { Sql } from '@mentoring/db';

export const REDEMPTION_STATUSES = [
  'PENDING',
  'AUTHORIZED',
  'CONFIRMED',
  'CANCELLED',
  'EXPIRED',
  'REFUNDED',
  'FAILED',
] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];
/** A step in flight: who owns the row until it ends. */
export type Intent = 'COMPENSATE' | 'CONFIRM' | 'CANCEL' | 'EXPIRE' | 'REFUND';

export interface Redemption {
  id: string;
  holderUserId: string;
  grantId: string;
  offeringId: string;
  providerId: string;
  communityId: string;
  offeringTitle: string;
  category: string;
  amountCents: number;
  idempotencyKey: string;
  fingerprint: string;
  status: RedemptionStatus;
  code: string | null;
  intent: Intent | null;
  intentAmountCents: number | null;
  failureCode: string | null;
  failureReason: string | null;
  createdAt: Date;
  authorizedAt: Date | null;
  expiresAt: Date | null;
  confirmedAt: Date | null;
}

const COLUMNS = `id, holder_user_id, grant_id, offering_id, provider_id, community_id, offering_title, category,
  amount_cents, idempotency_key, fingerprint, status, code, intent, intent_amount_cents, failure_code,
  failure_reason, created_at, authorized_at, expires_at, confirmed_at`;

const toRedemption = (r: Record<string, unknown>): Redemption => ({
  id: r.id as string,
  holderUserId: r.holder_user_id as string,
  grantId: r.grant_id as string,
  offeringId: r.offering_id as string,
  providerId: r.provider_id as string,
  communityId: r.community_id as string,
  offeringTitle: r.offering_title as string,
  category: r.category as string,
  amountCents: Number(r.amount_cents),
  idempotencyKey: r.idempotency_key as string,
  fingerprint: r.fingerprint as string,
  status: r.status as RedemptionStatus,
  code: r.code as string | null,
  intent: r.intent as Intent | null,
  intentAmountCents: r.intent_amount_cents === null ? null : Number(r.intent_amount_cents),
  failureCode: r.failure_code as string | null,
  failureReason: r.failure_reason as string | null,
  createdAt: r.created_at as Date,
  authorizedAt: r.authorized_at as Date | null,
  expiresAt: r.expires_at as Date | null,
  confirmedAt: r.confirmed_at as Date | null,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function select(db: Sql, where: string, params: unknown[]): Promise<Redemption[]> {
  const rows = await db.query(`SELECT ${COLUMNS} FROM redemptions WHERE ${where}`, params);
  return rows.map(toRedemption);
}

export async function findRedemptions(db: Sql, ids: readonly string[]): Promise<Redemption[]> {
  const valid = ids.filter((id) => UUID.test(id));
  return valid.length ? select(db, 'id = ANY($1::uuid[])', [valid]) : [];
}

export async function findByKey(db: Sql, holderUserId: string, key: string) {
  return (await select(db, 'holder_user_id = $1 AND idempotency_key = $2', [holderUserId, key]))[0];
}

export async function findByCode(db: Sql, code: string) {
  return (await select(db, 'code = $1', [code]))[0];
}

export function findByGrant(db: Sql, grantId: string, holderUserId?: string) {
  return holderUserId
    ? select(db, 'grant_id = $1 AND holder_user_id = $2 ORDER BY created_at, id', [grantId, holderUserId])
    : select(db, 'grant_id = $1 ORDER BY created_at, id', [grantId]);
}

export function findByProvider(db: Sql, providerId: string, status?: RedemptionStatus) {
  return status
    ? select(db, 'provider_id = $1 AND status = $2 ORDER BY created_at DESC, id', [providerId, status])
    : select(db, 'provider_id = $1 ORDER BY created_at DESC, id', [providerId]);
}

export type NewRedemption = Pick<
  Redemption,
  | 'id'
  | 'holderUserId'
  | 'grantId'
  | 'offeringId'
  | 'providerId'
  | 'communityId'
  | 'offeringTitle'
  | 'category'
  | 'amountCents'
  | 'idempotencyKey'
  | 'fingerprint'
>;

/** Records a PENDING redemption, or returns the one already recorded under the holder's key. */
export async function insertPending(
  db: Sql,
  r: NewRedemption,
): Promise<{ redemption: Redemption; created: boolean }> {
  const [inserted] = await db.query(
    `INSERT INTO redemptions (id, holder_user_id, grant_id, offering_id, provider_id, community_id,
        offering_title, category, amount_cents, idempotency_key, fingerprint)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (holder_user_id, idempotency_key) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      r.id,
      r.holderUserId,
      r.grantId,
      r.offeringId,
      r.providerId,
      r.communityId,
      r.offeringTitle,
      r.category,
      r.amountCents,
      r.idempotencyKey,
      r.fingerprint,
    ],
  );
  if (inserted) return { redemption: toRedemption(inserted), created: true };
  const existing = await findByKey(db, r.holderUserId, r.idempotencyKey);
  if (!existing) throw new Error('idempotency key conflict without a row');
  return { redemption: existing, created: false };
}

/** PENDING → AUTHORIZED with its code, unless someone else took the row meanwhile. */
export async function markAuthorized(db: Sql, id: string, code: string, ttlMs: number) {
  const [row] = await db.query(
    `UPDATE redemptions SET status = 'AUTHORIZED', code = $2, authorized_at = clock_timestamp(),
            expires_at = clock_timestamp() + $3 * interval '1 millisecond', updated_at = clock_timestamp()
      WHERE id = $1 AND status = 'PENDING' AND intent IS NULL
      RETURNING ${COLUMNS}`,
    [id, code, ttlMs],
  );
  return row ? toRedemption(row) : undefined;
}

/**
 * Takes the row for a step: only from `from` and only when no other step is
 * in flight. Returns the row as claimed, or nothing.
 */
export async function claimIntent(
  db: Sql,
  id: string,
  intent: Intent,
  from: RedemptionStatus,
  extra: { amountCents?: number | undefined; failureCode?: string; failureReason?: string } = {},
) {
  const [row] = await db.query(
    `UPDATE redemptions SET intent = $2, intent_at = clock_timestamp(), intent_amount_cents = $4,
            failure_code = coalesce($5, failure_code), failure_reason = coalesce($6, failure_reason),
            updated_at = clock_timestamp()
      WHERE id = $1 AND status = $3 AND intent IS NULL
      RETURNING ${COLUMNS}`,
    [id, intent, from, extra.amountCents ?? null, extra.failureCode ?? null, extra.failureReason ?? null],
  );
  return row ? toRedemption(row) : undefined;
}

/** Renews the lease on a step left unfinished for `staleMs` (recovery takes it over). */
export async function takeOverStaleIntents(db: Sql, staleMs: number, limit: number) {
  const rows = await db.query(
    `UPDATE redemptions SET intent_at = clock_timestamp()
      WHERE id IN (SELECT id FROM redemptions
                    WHERE intent IS NOT NULL AND intent_at < clock_timestamp() - $1 * interval '1 millisecond'
                    ORDER BY intent_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING ${COLUMNS}`,
    [staleMs, limit],
  );
  return rows.map(toRedemption);
}

/** Ids of PENDING redemptions nobody finished within `staleMs`. */
export async function findStalePending(db: Sql, staleMs: number, limit: number) {
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM redemptions
      WHERE status = 'PENDING' AND intent IS NULL AND created_at < clock_timestamp() - $1 * interval '1 millisecond'
      ORDER BY created_at LIMIT $2`,
    [staleMs, limit],
  );
  return rows.map((r) => r.id);
}

/** Ids of AUTHORIZED redemptions whose authorization ran out at `now`. */
export async function findDue(db: Sql, now: Date, limit: number) {
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM redemptions WHERE status = 'AUTHORIZED' AND intent IS NULL AND expires_at <= $1
      ORDER BY expires_at LIMIT $2`,
    [now, limit],
  );
  return rows.map((r) => r.id);
}

/** Ends a step: the new status, the intent cleared. Nothing when another worker ended it first. */
export async function finishIntent(
  db: Sql,
  id: string,
  intent: Intent,
  to: RedemptionStatus,
  amountCents?: number,
) {
  const [row] = await db.query(
    `UPDATE redemptions SET status = $3, intent = NULL, intent_at = NULL, intent_amount_cents = NULL,
            amount_cents = coalesce($4, amount_cents),
            confirmed_at = CASE WHEN $3 = 'CONFIRMED' THEN clock_timestamp() ELSE confirmed_at END,
            updated_at = clock_timestamp()
      WHERE id = $1 AND intent = $2
      RETURNING ${COLUMNS}`,
    [id, intent, to, amountCents ?? null],
  );
  return row ? toRedemption(row) : undefined;
}

/** Gives the row back after a step was refused (the state did not change). */
export async function dropIntent(db: Sql, id: string, intent: Intent) {
  await db.query(
    `UPDATE redemptions SET intent = NULL, intent_at = NULL, intent_amount_cents = NULL,
            updated_at = clock_timestamp() WHERE id = $1 AND intent = $2`,
    [id, intent],
  );
}
