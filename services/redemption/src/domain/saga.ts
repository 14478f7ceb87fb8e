// Redeeming is a saga over three services: record the redemption (PENDING),
// take a seat (catalog), hold the money (funds), then hand out a code
// (AUTHORIZED). Every remote step is idempotent on the redemption id, so a
// retry or the recovery job can run it again; a refusal undoes what was done.
import { randomUUID } from 'node:crypto';
import { emitEvent } from '@mentoring/events';
import { catalogApi, fundsApi, InternalCallError, identityApi } from '@mentoring/internal-api';
import { type ErrorCode, isPublicCode, notFound, UserError, type Viewer } from '@mentoring/subgraph-kit';
import {
  claimIntent,
  findByKey,
  findRedemptions,
  insertPending,
  markAuthorized,
  type Redemption,
} from '../db/redemptions';
import { newRedemptionCode } from './code';
import type { RedemptionDeps } from './deps';
import { checkRedeemable, fingerprintOf, needsBirthDate, type RedeemInput } from './eligibility';
import { finishStep } from './steps';

const todayUtc = () => new Date().toISOString().slice(0, 10);

/** A peer did not answer: the redemption stays PENDING (a retry or recovery finishes it). */
export class RedemptionUnfinished extends Error {
  constructor(cause: unknown) {
    super(`the redemption could not be completed now: ${(cause as Error).message}`);
    this.name = 'RedemptionUnfinished';
  }
}

export async function redeem(deps: RedemptionDeps, viewer: Viewer, input: RedeemInput): Promise<Redemption> {
  const fingerprint = fingerprintOf(input);
  const earlier = await findByKey(deps.db, viewer.userId, input.idempotencyKey);
  if (earlier) return replay(deps, earlier, fingerprint);

  const [grant, offerings] = await Promise.all([
    deps.call(fundsApi.getGrant, { grantId: input.grantId }),
    deps.call(catalogApi.getOfferings, { ids: [input.offeringId] }),
  ]);
  const offering = offerings[0];
  if (!offering) throw notFound('Offering');
  let birthDate: string | undefined;
  if (grant.holderUserId === viewer.userId && needsBirthDate(offering)) {
    const [beneficiary] = await deps.call(identityApi.getBeneficiaries, { ids: [grant.beneficiaryId] });
    birthDate = beneficiary?.birthDate;
  }
  const amountCents = checkRedeemable({
    viewerId: viewer.userId,
    grant,
    offering,
    birthDate,
    amountCents: input.amountCents,
    today: todayUtc(),
  });

  const { redemption, created } = await insertPending(deps.db, {
    id: randomUUID(),
    holderUserId: viewer.userId,
    grantId: grant.id,
    offeringId: offering.id,
    providerId: offering.providerId,
    communityId: offering.communityId,
    offeringTitle: offering.title,
    category: offering.category,
    amountCents,
    idempotencyKey: input.idempotencyKey,
    fingerprint,
  });
  return created ? runSaga(deps, redemption) : replay(deps, redemption, fingerprint);
}

/** The same key again: the same redemption (resumed if it is still pending), or a conflict. */
async function replay(deps: RedemptionDeps, r: Redemption, fingerprint: string): Promise<Redemption> {
  if (r.fingerprint !== fingerprint)
    throw new UserError(
      'IDEMPOTENCY_CONFLICT',
      'This idempotency key was already used for a different redemption.',
    );
  // The same refusal again; a redemption recovery gave up on is returned as FAILED.
  if (r.status === 'FAILED' && isPublicCode(r.failureCode))
    throw new UserError(r.failureCode as ErrorCode, r.failureReason ?? 'The redemption failed.');
  if (r.status === 'PENDING' && r.intent === null) return runSaga(deps, r);
  return r;
}

async function runSaga(deps: RedemptionDeps, r: Redemption): Promise<Redemption> {
  try {
    await deps.call(catalogApi.reserveSeat, { offeringId: r.offeringId, redemptionId: r.id });
    await deps.call(fundsApi.authorizePayment, {
      redemptionId: r.id,
      grantId: r.grantId,
      providerId: r.providerId,
      offeringId: r.offeringId,
      category: r.category,
      amountCents: r.amountCents,
    });
  } catch (error) {
    if (error instanceof UserError) {
      await failAndCompensate(deps, r, error);
      throw error;
    }
    if (error instanceof InternalCallError) throw new RedemptionUnfinished(error);
    throw error;
  }
  return authorize(deps, r);
}

/** PENDING → AUTHORIZED with a fresh code, and the provider told (same transaction). */
async function authorize(deps: RedemptionDeps, r: Redemption): Promise<Redemption> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const done = await deps.db.transaction(async (tx) => {
        const row = await markAuthorized(tx, r.id, newRedemptionCode(), deps.authTtlMs);
        if (row)
          await emitEvent(tx, 'redemption.authorized', {
            redemptionId: row.id,
            providerId: row.providerId,
            offeringTitle: row.offeringTitle,
            amountCents: row.amountCents,
            code: row.code!,
          });
        return row;
      });
      if (done) return done;
      // Someone else moved it: a concurrent retry (AUTHORIZED) or recovery (compensating).
      const [now] = await findRedemptions(deps.db, [r.id]);
      if (now?.status === 'AUTHORIZED') return now;
      throw new RedemptionUnfinished(new Error('the redemption was taken over by recovery'));
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      if (code !== '23505' || constraint !== 'redemptions_code_key') throw error;
      // Two equal codes out of 2^40: draw again.
    }
  }
  throw new Error('could not draw a unique redemption code');
}

/** Marks the redemption as failing (reason kept), undoes the seat and the hold, then FAILED. */
export async function failAndCompensate(deps: RedemptionDeps, r: Redemption, error: UserError) {
  const claimed = await claimIntent(deps.db, r.id, 'COMPENSATE', 'PENDING', {
    failureCode: String(error.extensions.code),
    failureReason: error.message,
  });
  if (!claimed) return; // recovery got there first
  try {
    await finishStep(deps, claimed);
  } catch (undo) {
    // Left with its intent: the recovery job finishes the compensation.
    if (!(undo instanceof InternalCallError)) throw undo;
  }
}
