// Settlement rules: which providers can be paid, run and payout state transitions.
import { forbidden, UserError } from '@mentoring/subgraph-kit';

export type RunStatus = 'QUEUED' | 'RUNNING' | 'PENDING_APPROVAL' | 'APPROVED' | 'FAILED';
export type PayoutStatus = 'PENDING_APPROVAL' | 'APPROVED' | 'PAID' | 'FAILED';

export interface ProviderInfo {
  id: string;
  communityId: string;
  kind: string;
  name: string;
  iban: string | null;
}

/** Looks organizations up by id (identity's getOrganizations; a fake one in benchmarks). Unknown ids are left out. */
export type ProviderDirectory = (ids: string[]) => Promise<ProviderInfo[]>;

export interface ProviderTotal {
  providerId: string;
  amountCents: number;
  count: number;
}

export interface SkippedProvider {
  providerId: string;
  reason: string;
  amountCents: number;
}

export interface GroupingPlan {
  pay: { providerId: string; name: string; iban: string }[];
  skipped: SkippedProvider[];
}

/** A loosely checked IBAN: 2 letters, 2 digits, 11–30 alphanumerics (identity validates it properly). */
const IBAN = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/;

/**
 * Which providers with unsettled captures this run pays: those of the run's
 * community (others belong to another community's run); without a usable IBAN
 * they are reported as skipped, their captures stay unsettled.
 */
export function planPayouts(
  communityId: string,
  totals: ProviderTotal[],
  organizations: ProviderInfo[],
): GroupingPlan {
  const byId = new Map(organizations.map((o) => [o.id, o]));
  const plan: GroupingPlan = { pay: [], skipped: [] };
  for (const total of [...totals].sort((a, b) => (a.providerId < b.providerId ? -1 : 1))) {
    const org = byId.get(total.providerId);
    if (!org || org.communityId !== communityId) continue;
    const iban = org.iban?.replace(/\s+/g, '').toUpperCase() ?? '';
    if (!iban) {
      plan.skipped.push({ providerId: org.id, reason: 'NO_IBAN', amountCents: total.amountCents });
    } else if (!IBAN.test(iban)) {
      plan.skipped.push({ providerId: org.id, reason: 'INVALID_IBAN', amountCents: total.amountCents });
    } else {
      plan.pay.push({ providerId: org.id, name: org.name, iban });
    }
  }
  return plan;
}

/** The last instant settled: the end (UTC) of `periodEnd`, but no capture younger than the hold. */
export function cutoffOf(periodEnd: string, holdDays: number, now: Date): Date {
  const endOfDay = new Date(`${periodEnd}T23:59:59.999Z`);
  const held = new Date(now.getTime() - holdDays * 86_400_000);
  return endOfDay < held ? endOfDay : held;
}

const alreadyFinal = (message: string) => new UserError('ALREADY_FINAL', message);

/** Whether an approval must do the work (true), has been done (false), or is refused. */
export function checkApproval(run: { status: RunStatus; createdBy: string }, approverId: string): boolean {
  if (run.status === 'APPROVED') return false;
  if (run.status !== 'PENDING_APPROVAL')
    throw alreadyFinal(`This run is ${run.status.toLowerCase().replace('_', ' ')}: it cannot be approved.`);
  if (run.createdBy === approverId) throw forbidden('Another operator must approve this run.');
  return true;
}

/** Whether marking a payout paid must do the work (true), or was done with that reference (false). */
export function checkPaid(payout: { status: PayoutStatus; bankReference: string | null }, reference: string) {
  if (payout.status === 'PAID' && payout.bankReference === reference) return false;
  if (payout.status !== 'APPROVED')
    throw alreadyFinal(
      payout.status === 'PENDING_APPROVAL'
        ? 'This payout is not approved yet.'
        : `This payout is already ${payout.status.toLowerCase()}.`,
    );
  return true;
}

/** Whether marking a payout failed must do the work (true), or was done already (false). */
export function checkFailed(payout: { status: PayoutStatus }) {
  if (payout.status === 'FAILED') return false;
  if (payout.status !== 'APPROVED')
    throw alreadyFinal(
      payout.status === 'PENDING_APPROVAL'
        ? 'This payout is not approved yet.'
        : `This payout is already ${payout.status.toLowerCase()}.`,
    );
  return true;
}
