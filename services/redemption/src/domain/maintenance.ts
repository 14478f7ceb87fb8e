// The two maintenance steps the job scheduler runs (and tests call directly).
import { InternalCallError } from '@mentoring/internal-api';
import { UserError } from '@mentoring/subgraph-kit';
import {
  claimIntent,
  dropIntent,
  findDue,
  findStalePending,
  type Redemption,
  takeOverStaleIntents,
} from '../db/redemptions';
import type { RedemptionDeps } from './deps';
import { finishStep } from './steps';

export interface StepLog {
  warn(obj: object, msg?: string): void;
}

export interface RecoveryReport {
  /** PENDING redemptions compensated (seat released, hold voided) and marked FAILED. */
  compensated: number;
  /** Steps left unfinished (a crash, a peer down) that were run to their end. */
  resumed: number;
  /** Still unfinished (a peer still down): tried again next time. */
  failed: number;
}

/** Runs one claimed step; a peer still down leaves it for the next round. */
async function attempt(deps: RedemptionDeps, r: Redemption, log?: StepLog): Promise<boolean> {
  try {
    await finishStep(deps, r);
    return true;
  } catch (error) {
    if (error instanceof UserError && r.intent) {
      // The peer refused for good (e.g. capturing a voided hold): give the row back as it was.
      log?.warn({ redemptionId: r.id, intent: r.intent, err: error.message }, 'redemption step refused');
      await dropIntent(deps.db, r.id, r.intent);
      return false;
    }
    if (!(error instanceof InternalCallError)) throw error;
    log?.warn({ redemptionId: r.id, intent: r.intent, err: error.message }, 'redemption step still failing');
    return false;
  }
}

/**
 * Finishes what was left half-done for more than `staleMs`. A redemption
 * still PENDING is never completed late (its holder got an error and may
 * have retried elsewhere): it is compensated — hold voided, seat released —
 * and marked FAILED. Steps already claimed (validation, cancellation,
 * expiry, refund, compensation) are run to their end. Safe to run
 * concurrently: each row is claimed by one runner.
 */
export async function recoverStale(
  deps: RedemptionDeps,
  { staleMs, limit = 200, log }: { staleMs: number; limit?: number; log?: StepLog },
): Promise<RecoveryReport> {
  const report: RecoveryReport = { compensated: 0, resumed: 0, failed: 0 };
  for (const r of await takeOverStaleIntents(deps.db, staleMs, limit)) {
    if (await attempt(deps, r, log)) report.resumed++;
    else report.failed++;
  }
  for (const id of await findStalePending(deps.db, staleMs, limit)) {
    const claimed = await claimIntent(deps.db, id, 'COMPENSATE', 'PENDING', {
      failureCode: 'TIMEOUT',
      failureReason: 'The redemption could not be completed in time.',
    });
    if (!claimed) continue;
    if (await attempt(deps, claimed, log)) report.compensated++;
    else report.failed++;
  }
  return report;
}

/**
 * Expires authorizations not validated in time (`now` ≥ their expiry):
 * hold voided, seat released, EXPIRED, holder told. Safe to run twice at
 * once: each redemption is claimed by one runner.
 */
export async function expireDue(
  deps: RedemptionDeps,
  { now = new Date(), limit = 200, log }: { now?: Date; limit?: number; log?: StepLog } = {},
): Promise<number> {
  let expired = 0;
  for (const id of await findDue(deps.db, now, limit)) {
    const claimed = await claimIntent(deps.db, id, 'EXPIRE', 'AUTHORIZED');
    if (claimed && (await attempt(deps, claimed, log))) expired++;
  }
  return expired;
}
