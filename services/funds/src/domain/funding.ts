// Funding: funds, sponsors' contributions, programs. Money moves through the ledger.
import { randomUUID } from 'node:crypto';
import type { Database } from '@mentoring/db';
import { emitEvent } from '@mentoring/events';
import { badInput, notFound, UserError } from '@mentoring/subgraph-kit';
import {
  type Contribution,
  type Fund,
  findContributionByKey,
  findFunds,
  findPrograms,
  insertContribution,
  insertFund,
  insertProgram,
  lockContribution,
  markContributionCancelled,
  markContributionReceived,
  type NewProgram,
  type Program,
} from '../db/funds';
import { openAccount } from '../db/ledger';
import { account } from './ledger/accounts';
import { transfer } from './ledger/transfers';
import {
  calendarDate,
  foreignId,
  idempotencyKey,
  idList,
  isUuid,
  name,
  positiveCents,
  today,
} from './values';

export async function loadFund(db: Database, fundId: string): Promise<Fund> {
  const fund = isUuid(fundId) ? (await findFunds(db, [fundId]))[0] : undefined;
  if (!fund) throw notFound('Fund');
  return fund;
}

// ------------------------------------------------------------------ funds

export async function createFund(
  db: Database,
  actorId: string,
  input: { communityId: string; name: string },
): Promise<Fund> {
  const fund = {
    id: randomUUID(),
    communityId: foreignId(input.communityId, 'communityId'),
    name: name(input.name),
  };
  await db.transaction(async (tx) => {
    await insertFund(tx, { ...fund, createdBy: actorId });
    const { id, kind } = account.fund(fund.id);
    await openAccount(tx, id, kind, true);
  });
  return loadFund(db, fund.id);
}

// ---------------------------------------------------------- contributions

export interface RecordContributionInput {
  fundId: string;
  sponsorOrganizationId: string;
  amountCents: number;
  note?: string | null | undefined;
  idempotencyKey: string;
}

/**
 * A sponsor's pledge: PLEDGED, no money moves yet. Idempotent per sponsor on
 * the key: the same input returns the first contribution, a different one is
 * an IDEMPOTENCY_CONFLICT.
 */
export async function recordContribution(
  db: Database,
  actorId: string,
  input: RecordContributionInput,
): Promise<Contribution> {
  const note = input.note?.trim() || null;
  if (note && note.length > 1000) throw badInput('note can be at most 1000 characters.', 'note');
  const candidate = {
    fundId: input.fundId,
    sponsorOrganizationId: foreignId(input.sponsorOrganizationId, 'sponsorOrganizationId'),
    amountCents: positiveCents(input.amountCents, 'amountCents'),
    note,
    idempotencyKey: idempotencyKey(input.idempotencyKey),
  };
  const replay = (existing: Contribution) => {
    const same =
      existing.fundId === candidate.fundId &&
      existing.amountCents === candidate.amountCents &&
      existing.note === candidate.note;
    if (!same)
      throw new UserError(
        'IDEMPOTENCY_CONFLICT',
        'This idempotency key was already used for another contribution.',
      );
    return existing;
  };
  const earlier = await findContributionByKey(db, candidate.sponsorOrganizationId, candidate.idempotencyKey);
  if (earlier) return replay(earlier);
  await loadFund(db, candidate.fundId);
  const inserted = await insertContribution(db, { id: randomUUID(), ...candidate, recordedBy: actorId });
  if (inserted) return inserted;
  // Another request with the same key got there first.
  const winner = await findContributionByKey(db, candidate.sponsorOrganizationId, candidate.idempotencyKey);
  return replay(winner!);
}

/**
 * The money arrived: PLEDGED → RECEIVED and the fund is credited (sponsor →
 * fund), once. Confirming a received contribution again changes nothing;
 * a cancelled one is ALREADY_FINAL. The `contribution.received` event is
 * written in the same transaction.
 */
export async function confirmContribution(db: Database, contributionId: string): Promise<Contribution> {
  if (!isUuid(contributionId)) throw notFound('Contribution');
  return db.transaction(async (tx) => {
    const contribution = await lockContribution(tx, contributionId);
    if (!contribution) throw notFound('Contribution');
    if (contribution.status === 'RECEIVED') return contribution;
    if (contribution.status === 'CANCELLED')
      throw new UserError('ALREADY_FINAL', 'This contribution was cancelled.');
    const { transfer: credit } = await transfer(tx, {
      idempotencyKey: `contribution:${contribution.id}`,
      debit: account.sponsor(contribution.sponsorOrganizationId),
      credit: account.fund(contribution.fundId),
      amountCents: contribution.amountCents,
      kind: 'CONTRIBUTION',
      metadata: { contributionId: contribution.id },
    });
    const received = (await markContributionReceived(tx, contribution.id, credit.id))!;
    const [fund] = await findFunds(tx, [received.fundId]);
    await emitEvent(tx, 'contribution.received', {
      contributionId: received.id,
      fundId: received.fundId,
      fundName: fund!.name,
      communityId: fund!.communityId,
      sponsorOrganizationId: received.sponsorOrganizationId,
      amountCents: received.amountCents,
      receivedAt: received.receivedAt!.toISOString(),
    });
    return received;
  });
}

/** A pledge that will not be paid: PLEDGED → CANCELLED (again: unchanged); RECEIVED is ALREADY_FINAL. */
export async function cancelContribution(db: Database, contributionId: string): Promise<Contribution> {
  if (!isUuid(contributionId)) throw notFound('Contribution');
  return db.transaction(async (tx) => {
    const contribution = await lockContribution(tx, contributionId);
    if (!contribution) throw notFound('Contribution');
    if (contribution.status === 'CANCELLED') return contribution;
    if (contribution.status === 'RECEIVED')
      throw new UserError('ALREADY_FINAL', 'This contribution was already received; it cannot be cancelled.');
    return markContributionCancelled(tx, contribution.id);
  });
}

// --------------------------------------------------------------- programs

export interface CreateProgramInput {
  fundId: string;
  name: string;
  grantAmountCents: number;
  budgetCents: number;
  minAge?: number | null | undefined;
  maxAge?: number | null | undefined;
  referrerOrganizationIds?: string[] | null | undefined;
  eligibleCategories?: string[] | null | undefined;
  eligibleProviderIds?: string[] | null | undefined;
  eligibleOfferingIds?: string[] | null | undefined;
  issueUntil?: string | null | undefined;
  spendDeadline: string;
}

const CATEGORY = /^[a-z][a-z-]*$/;

function age(value: number | null | undefined, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 0 || value > 120) throw badInput(`${field} must be 0–120.`, field);
  return value;
}

/** Checks a program's terms; returns them normalized (trimmed, deduplicated lists). */
export function validateProgram(
  input: CreateProgramInput,
  now = new Date(),
): Omit<NewProgram, 'id' | 'createdBy'> {
  const grantAmountCents = positiveCents(input.grantAmountCents, 'grantAmountCents');
  const budgetCents = positiveCents(input.budgetCents, 'budgetCents');
  if (budgetCents < grantAmountCents)
    throw badInput('budgetCents must cover at least one grant (budget ≥ grant amount).', 'budgetCents');
  const minAge = age(input.minAge, 'minAge');
  const maxAge = age(input.maxAge, 'maxAge');
  if (minAge !== null && maxAge !== null && minAge > maxAge)
    throw badInput('minAge cannot be greater than maxAge.', 'minAge');
  const spendDeadline = calendarDate(input.spendDeadline, 'spendDeadline');
  if (spendDeadline <= today(now)) throw badInput('spendDeadline must be in the future.', 'spendDeadline');
  const issueUntil = input.issueUntil ? calendarDate(input.issueUntil, 'issueUntil') : null;
  if (issueUntil !== null && issueUntil < today(now))
    throw badInput('issueUntil cannot be in the past.', 'issueUntil');
  if (issueUntil !== null && spendDeadline <= issueUntil)
    throw badInput('spendDeadline must be after issueUntil.', 'spendDeadline');
  const eligibleCategories = idList(input.eligibleCategories, 'eligibleCategories', 50);
  if (eligibleCategories.some((c) => !CATEGORY.test(c)))
    throw badInput('eligibleCategories must be category slugs, e.g. `music`.', 'eligibleCategories');
  return {
    fundId: input.fundId,
    name: name(input.name),
    grantAmountCents,
    budgetCents,
    minAge,
    maxAge,
    referrerOrganizationIds: idList(input.referrerOrganizationIds, 'referrerOrganizationIds'),
    eligibleCategories,
    eligibleProviderIds: idList(input.eligibleProviderIds, 'eligibleProviderIds'),
    eligibleOfferingIds: idList(input.eligibleOfferingIds, 'eligibleOfferingIds'),
    issueUntil,
    spendDeadline,
  };
}

/** Creates a program and moves its whole budget from the fund (INSUFFICIENT_FUNDS when the fund is short). */
export async function createProgram(
  db: Database,
  actorId: string,
  input: CreateProgramInput,
): Promise<Program> {
  const terms = validateProgram(input);
  await loadFund(db, terms.fundId);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await insertProgram(tx, { id, ...terms, createdBy: actorId });
    const programAccount = account.program(id);
    await openAccount(tx, programAccount.id, programAccount.kind, true);
    await transfer(tx, {
      idempotencyKey: `program-budget:${id}`,
      debit: account.fund(terms.fundId),
      credit: programAccount,
      amountCents: terms.budgetCents,
      kind: 'PROGRAM_BUDGET',
      metadata: { programId: id },
    });
  });
  return (await findPrograms(db, [id]))[0]!;
}
