// What happens to an authorized redemption: the desk validates it, the holder
// or the provider cancels it, the provider (or an operator) refunds it.
import {
  badInput,
  forbidden,
  isOperator,
  notFound,
  requireUser,
  UserError,
  type Viewer,
} from '@mentoring/subgraph-kit';
import { claimIntent, findByCode, findRedemptions, type Intent, type Redemption } from '../db/redemptions';
import { canSee, isHolder, isProviderStaff } from './access';
import { normalizeRedemptionCode } from './code';
import type { RedemptionDeps } from './deps';
import type { CodeAttempts } from './rate-limit';
import { runClaimedStep } from './steps';

const alreadyFinal = (r: Redemption) =>
  new UserError('ALREADY_FINAL', `This redemption is ${r.status.toLowerCase()}; it cannot change any more.`);

const VERB: Record<Intent, string> = {
  COMPENSATE: 'being undone',
  CONFIRM: 'being validated',
  CANCEL: 'being cancelled',
  EXPIRE: 'expiring',
  REFUND: 'being refunded',
};

/**
 * Claims the redemption for a step from `from`. The same step already in
 * flight (a retry after a timeout) is resumed; another one is refused.
 */
async function claim(
  deps: RedemptionDeps,
  r: Redemption,
  intent: Intent,
  from: Redemption['status'],
  amountCents?: number,
): Promise<Redemption> {
  const claimed = await claimIntent(deps.db, r.id, intent, from, { amountCents });
  if (claimed) return claimed;
  const [now] = await findRedemptions(deps.db, [r.id]);
  if (!now) throw notFound('Redemption');
  if (now.intent === intent && (amountCents ?? null) === now.intentAmountCents) return now;
  if (now.intent) throw new UserError('ALREADY_FINAL', `This redemption is ${VERB[now.intent]}.`);
  throw alreadyFinal(now);
}

async function visibleRedemption(deps: RedemptionDeps, viewer: Viewer, id: string) {
  const [r] = await findRedemptions(deps.db, [id]);
  if (!r || !canSee(viewer, r)) throw notFound('Redemption');
  return r;
}

/** The holder or the provider's staff give up an authorized redemption: hold voided, seat released. */
export async function cancelRedemption(deps: RedemptionDeps, viewer: Viewer | null, id: string) {
  const user = requireUser(viewer);
  const r = await visibleRedemption(deps, user, id);
  if (!isHolder(user, r) && !isProviderStaff(user, r))
    throw forbidden('Only the holder or the provider can cancel a redemption.');
  if (r.status !== 'AUTHORIZED' && r.intent !== 'CANCEL') throw alreadyFinal(r);
  return runClaimedStep(deps, await claim(deps, r, 'CANCEL', 'AUTHORIZED'));
}

/**
 * The desk's lookup by code: staff of the offering's provider only. Anyone
 * else gets NOT_FOUND, as for a code that does not exist, so codes of other
 * providers cannot be probed; wrong codes count against the user's limit.
 */
export async function redemptionByCode(
  deps: RedemptionDeps & { attempts: CodeAttempts },
  viewer: Viewer | null,
  typed: string,
): Promise<Redemption> {
  const user = requireUser(viewer);
  await deps.attempts.assertAllowed(user.userId);
  const code = normalizeRedemptionCode(typed);
  const r = code ? await findByCode(deps.db, code) : undefined;
  if (!r || !isProviderStaff(user, r)) {
    await deps.attempts.recordWrong(user.userId);
    throw notFound('Redemption');
  }
  return r;
}

/** The desk confirms the purchase: the hold is captured, in full or for less (the rest goes back to the grant). */
export async function validateRedemption(
  deps: RedemptionDeps & { attempts: CodeAttempts },
  viewer: Viewer | null,
  typed: string,
  amountCents?: number | null,
) {
  const r = await redemptionByCode(deps, viewer, typed);
  if (r.status !== 'AUTHORIZED' && r.intent !== 'CONFIRM') throw alreadyFinal(r);
  if (amountCents !== undefined && amountCents !== null) {
    if (!Number.isInteger(amountCents) || amountCents <= 0)
      throw badInput('The amount must be a positive number of cents.', 'amountCents');
    if (amountCents > r.amountCents)
      throw badInput('The amount cannot be higher than the authorized amount.', 'amountCents');
  }
  return runClaimedStep(deps, await claim(deps, r, 'CONFIRM', 'AUTHORIZED', amountCents ?? undefined));
}

/** After validation and before settlement, the provider's staff or an operator give the money back. */
export async function refundRedemption(deps: RedemptionDeps, viewer: Viewer | null, id: string) {
  const user = requireUser(viewer);
  const r = await visibleRedemption(deps, user, id);
  if (!isProviderStaff(user, r) && !isOperator(user))
    throw forbidden('Only the provider or an operator can refund a redemption.');
  if (r.status !== 'CONFIRMED' && r.intent !== 'REFUND') throw alreadyFinal(r);
  return runClaimedStep(deps, await claim(deps, r, 'REFUND', 'CONFIRMED'));
}
