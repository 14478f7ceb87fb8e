// The remote half of each step after the redemption was recorded: what it
// asks catalog and funds, and the status it ends in. Every call is
// idempotent on the redemption id, so a step may run again after a crash.
import { emitEvent } from '@mentoring/events';
import { catalogApi, fundsApi } from '@mentoring/internal-api';
import { UserError } from '@mentoring/subgraph-kit';
import {
  dropIntent,
  findRedemptions,
  finishIntent,
  type Intent,
  type Redemption,
  type RedemptionStatus,
} from '../db/redemptions';
import type { RedemptionDeps } from './deps';

const ENDS_IN: Record<Intent, RedemptionStatus> = {
  COMPENSATE: 'FAILED',
  CONFIRM: 'CONFIRMED',
  CANCEL: 'CANCELLED',
  EXPIRE: 'EXPIRED',
  REFUND: 'REFUNDED',
};

/** The event each ending emits (docs/events.md); failures and refunds tell nobody yet. */
const EVENT: Partial<Record<Intent, 'redemption.confirmed' | 'redemption.cancelled' | 'redemption.expired'>> =
  {
    CONFIRM: 'redemption.confirmed',
    CANCEL: 'redemption.cancelled',
    EXPIRE: 'redemption.expired',
  };

/** Voids the hold; a redemption that never got one has nothing to void. */
async function voidHold(deps: RedemptionDeps, redemptionId: string) {
  try {
    await deps.call(fundsApi.voidPayment, { redemptionId });
  } catch (error) {
    if (error instanceof UserError && error.extensions.code === 'NOT_FOUND') return;
    throw error;
  }
}

/** Gives the seat back (also remembered by catalog when no seat was taken yet). */
const releaseSeat = (deps: RedemptionDeps, redemptionId: string) =>
  deps.call(catalogApi.releaseSeat, { redemptionId });

/** Runs the remote calls of the redemption's intent, then ends it (status + event, one transaction). */
export async function finishStep(deps: RedemptionDeps, r: Redemption): Promise<Redemption> {
  const intent = r.intent;
  if (!intent) return r;
  let amountCents: number | undefined;
  switch (intent) {
    case 'COMPENSATE':
    case 'CANCEL':
    case 'EXPIRE':
      await voidHold(deps, r.id);
      await releaseSeat(deps, r.id);
      break;
    case 'CONFIRM': {
      const captured = await deps.call(fundsApi.capturePayment, {
        redemptionId: r.id,
        ...(r.intentAmountCents !== null ? { amountCents: r.intentAmountCents } : {}),
      });
      amountCents = captured.capturedCents;
      break;
    }
    case 'REFUND':
      await deps.call(fundsApi.refundPayment, { redemptionId: r.id });
      await releaseSeat(deps, r.id);
      break;
  }
  const ended = await deps.db.transaction(async (tx) => {
    const row = await finishIntent(tx, r.id, intent, ENDS_IN[intent], amountCents);
    const type = EVENT[intent];
    if (row && type)
      await emitEvent(tx, type, {
        redemptionId: row.id,
        holderUserId: row.holderUserId,
        offeringTitle: row.offeringTitle,
        amountCents: row.amountCents,
      });
    return row;
  });
  if (ended) return ended;
  // Another worker ended the same step first.
  const [now] = await findRedemptions(deps.db, [r.id]);
  return now ?? r;
}

/**
 * Runs a step the caller just claimed. A refusal from a peer gives the row
 * back unchanged and is rethrown; an unreachable peer leaves the intent for
 * the recovery job.
 */
export async function runClaimedStep(deps: RedemptionDeps, r: Redemption): Promise<Redemption> {
  try {
    return await finishStep(deps, r);
  } catch (error) {
    if (error instanceof UserError && r.intent) await dropIntent(deps.db, r.id, r.intent);
    throw error;
  }
}
