// Who may issue a program's grants, and to whom. Pure rules: the data is passed in.
import { forbidden, isOperator, requireUser, UserError, type Viewer } from '@mentoring/subgraph-kit';
import type { Program } from '../db/funds';

const REFERRER_KINDS: ReadonlySet<string> = new Set(['SCHOOL', 'SOCIAL_AGENCY']);

/**
 * Staff (ADMIN or STAFF) of a referrer organization (a school or a social
 * agency) issue grants on its behalf. Operators do not: a grant always comes
 * from a referrer who met the young person.
 */
export function requireReferrerStaff(viewer: Viewer | null, referrerOrganizationId: string): Viewer {
  const user = requireUser(viewer);
  const membership = user.memberships.find((m) => m.organizationId === referrerOrganizationId);
  if (!membership)
    throw forbidden(
      isOperator(user)
        ? "Operators cannot issue grants: a referrer's staff issues them."
        : 'You are not a member of this referrer organization.',
    );
  if (!REFERRER_KINDS.has(membership.kind))
    throw forbidden('Only schools and social agencies can issue grants.');
  return user;
}

/** The program accepts this referrer: listed, or the list is empty (any referrer). */
export function requireProgramReferrer(program: Program, referrerOrganizationId: string): void {
  const list = program.referrerOrganizationIds;
  if (list.length > 0 && !list.includes(referrerOrganizationId))
    throw forbidden('This program does not accept grants from your organization.');
}

/** Full years between a birth date and a day, both `YYYY-MM-DD`. */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const hadBirthday = m > bm || (m === bm && d >= bd);
  return y - by - (hadBirthday ? 0 : 1);
}

const notEligible = (message: string) => new UserError('NOT_ELIGIBLE', message);

/**
 * NOT_ELIGIBLE, with the reason, when the program cannot give a grant to a
 * recipient born on `birthDate` on `today`: issuing closed, or the age at the
 * issue date outside minAge–maxAge.
 */
export function checkRecipient(program: Program, birthDate: string, today: string): void {
  if (program.issueUntil !== null && program.issueUntil < today)
    throw notEligible(`This program stopped issuing grants on ${program.issueUntil}.`);
  if (birthDate > today) throw new UserError('BAD_USER_INPUT', 'The birth date is in the future.');
  const age = ageOn(birthDate, today);
  if (program.minAge !== null && age < program.minAge)
    throw notEligible(`The recipient is ${age}; this program is for ages ${program.minAge} and over.`);
  if (program.maxAge !== null && age > program.maxAge)
    throw notEligible(`The recipient is ${age}; this program is for ages up to ${program.maxAge}.`);
}

/** INSUFFICIENT_FUNDS when the program's remaining budget cannot pay one more grant. */
export function checkBudget(program: Program): void {
  if (program.remainingBudgetCents < program.grantAmountCents)
    throw new UserError(
      'INSUFFICIENT_FUNDS',
      `The program's remaining budget (${program.remainingBudgetCents} cents) cannot cover another grant of ${program.grantAmountCents} cents.`,
    );
}
