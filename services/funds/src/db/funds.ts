// Funds, contributions and programs.
import type { Sql } from '@mentoring/db';

export interface Fund {
  id: string;
  communityId: string;
  name: string;
  /** What the fund can still give to programs. */
  balanceCents: number;
  createdAt: Date;
}

export type ContributionStatus = 'PLEDGED' | 'RECEIVED' | 'CANCELLED';

export interface Contribution {
  id: string;
  fundId: string;
  sponsorOrganizationId: string;
  amountCents: number;
  note: string | null;
  status: ContributionStatus;
  idempotencyKey: string;
  recordedBy: string;
  transferId: string | null;
  createdAt: Date;
  receivedAt: Date | null;
  cancelledAt: Date | null;
}

export interface Program {
  id: string;
  fundId: string;
  name: string;
  grantAmountCents: number;
  budgetCents: number;
  /** The program account's available balance: budget not yet given to grants. */
  remainingBudgetCents: number;
  minAge: number | null;
  maxAge: number | null;
  referrerOrganizationIds: string[];
  eligibleCategories: string[];
  eligibleProviderIds: string[];
  eligibleOfferingIds: string[];
  /** YYYY-MM-DD */
  issueUntil: string | null;
  /** YYYY-MM-DD */
  spendDeadline: string;
  /** Grants issued from the program, revoked ones left out. */
  grantsIssued: number;
  createdAt: Date;
}

const AVAILABLE = 'a.credits_posted - a.debits_posted - a.debits_pending';

// ------------------------------------------------------------------ funds

const FUND_SELECT = `SELECT f.id, f.community_id, f.name, f.created_at, ${AVAILABLE} AS balance_cents
  FROM funds f JOIN accounts a ON a.id = 'fund:' || f.id`;

const toFund = (r: Record<string, unknown>): Fund => ({
  id: r.id as string,
  communityId: r.community_id as string,
  name: r.name as string,
  balanceCents: Number(r.balance_cents),
  createdAt: r.created_at as Date,
});

export async function insertFund(
  tx: Sql,
  fund: { id: string; communityId: string; name: string; createdBy: string },
): Promise<void> {
  await tx.query('INSERT INTO funds (id, community_id, name, created_by) VALUES ($1, $2, $3, $4)', [
    fund.id,
    fund.communityId,
    fund.name,
    fund.createdBy,
  ]);
}

export async function findFunds(db: Sql, ids: readonly string[]): Promise<Fund[]> {
  return (await db.query(`${FUND_SELECT} WHERE f.id = ANY($1::uuid[])`, [ids])).map(toFund);
}

// ---------------------------------------------------------- contributions

const CONTRIBUTION_COLUMNS = `id, fund_id, sponsor_organization_id, amount_cents, note, status, idempotency_key,
  recorded_by, transfer_id, created_at, received_at, cancelled_at`;

const toContribution = (r: Record<string, unknown>): Contribution => ({
  id: r.id as string,
  fundId: r.fund_id as string,
  sponsorOrganizationId: r.sponsor_organization_id as string,
  amountCents: Number(r.amount_cents),
  note: r.note as string | null,
  status: r.status as ContributionStatus,
  idempotencyKey: r.idempotency_key as string,
  recordedBy: r.recorded_by as string,
  transferId: r.transfer_id as string | null,
  createdAt: r.created_at as Date,
  receivedAt: r.received_at as Date | null,
  cancelledAt: r.cancelled_at as Date | null,
});

/** Inserts a PLEDGED contribution; null when the sponsor already used the idempotency key. */
export async function insertContribution(
  tx: Sql,
  c: {
    id: string;
    fundId: string;
    sponsorOrganizationId: string;
    amountCents: number;
    note: string | null;
    idempotencyKey: string;
    recordedBy: string;
  },
): Promise<Contribution | null> {
  const rows = await tx.query(
    `INSERT INTO contributions (id, fund_id, sponsor_organization_id, amount_cents, note, status, idempotency_key, recorded_by)
     VALUES ($1, $2, $3, $4, $5, 'PLEDGED', $6, $7)
     ON CONFLICT (sponsor_organization_id, idempotency_key) DO NOTHING
     RETURNING ${CONTRIBUTION_COLUMNS}`,
    [c.id, c.fundId, c.sponsorOrganizationId, c.amountCents, c.note, c.idempotencyKey, c.recordedBy],
  );
  return rows[0] ? toContribution(rows[0]) : null;
}

export async function findContributionByKey(
  db: Sql,
  sponsorOrganizationId: string,
  idempotencyKey: string,
): Promise<Contribution | null> {
  const rows = await db.query(
    `SELECT ${CONTRIBUTION_COLUMNS} FROM contributions WHERE sponsor_organization_id = $1 AND idempotency_key = $2`,
    [sponsorOrganizationId, idempotencyKey],
  );
  return rows[0] ? toContribution(rows[0]) : null;
}

export async function findContributions(db: Sql, ids: readonly string[]): Promise<Contribution[]> {
  return (
    await db.query(`SELECT ${CONTRIBUTION_COLUMNS} FROM contributions WHERE id = ANY($1::uuid[])`, [ids])
  ).map(toContribution);
}

export async function contributionsOfFunds(db: Sql, fundIds: readonly string[]): Promise<Contribution[]> {
  return (
    await db.query(
      `SELECT ${CONTRIBUTION_COLUMNS} FROM contributions WHERE fund_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [fundIds],
    )
  ).map(toContribution);
}

/** PLEDGED → RECEIVED with the transfer that credited the fund; null if it was not PLEDGED (row locked meanwhile). */
export async function markContributionReceived(
  tx: Sql,
  id: string,
  transferId: string,
): Promise<Contribution | null> {
  const rows = await tx.query(
    `UPDATE contributions SET status = 'RECEIVED', received_at = now(), transfer_id = $2
      WHERE id = $1 AND status = 'PLEDGED' RETURNING ${CONTRIBUTION_COLUMNS}`,
    [id, transferId],
  );
  return rows[0] ? toContribution(rows[0]) : null;
}

/** Locks a contribution for a status change (waits for a concurrent one to finish). */
export async function lockContribution(tx: Sql, id: string): Promise<Contribution | null> {
  const rows = await tx.query(`SELECT ${CONTRIBUTION_COLUMNS} FROM contributions WHERE id = $1 FOR UPDATE`, [
    id,
  ]);
  return rows[0] ? toContribution(rows[0]) : null;
}

export async function markContributionCancelled(tx: Sql, id: string): Promise<Contribution> {
  const rows = await tx.query(
    `UPDATE contributions SET status = 'CANCELLED', cancelled_at = now()
      WHERE id = $1 AND status = 'PLEDGED' RETURNING ${CONTRIBUTION_COLUMNS}`,
    [id],
  );
  return toContribution(rows[0]!);
}

/** The sponsor organizations among `organizationIds` with a PLEDGED or RECEIVED contribution to the fund. */
export async function contributingSponsors(
  db: Sql,
  fundId: string,
  organizationIds: readonly string[],
): Promise<string[]> {
  if (organizationIds.length === 0) return [];
  const rows = await db.query<{ sponsor: string }>(
    `SELECT DISTINCT sponsor_organization_id AS sponsor FROM contributions
      WHERE fund_id = $1 AND status IN ('PLEDGED', 'RECEIVED') AND sponsor_organization_id = ANY($2::text[])`,
    [fundId, organizationIds],
  );
  return rows.map((r) => r.sponsor);
}

// --------------------------------------------------------------- programs

const PROGRAM_SELECT = `SELECT p.id, p.fund_id, p.name, p.grant_amount_cents, p.budget_cents, p.min_age, p.max_age,
    p.referrer_organization_ids, p.eligible_categories, p.eligible_provider_ids, p.eligible_offering_ids,
    p.issue_until::text AS issue_until, p.spend_deadline::text AS spend_deadline, p.created_at,
    ${AVAILABLE} AS remaining_budget_cents,
    (SELECT count(*) FROM grants g WHERE g.program_id = p.id AND g.status <> 'REVOKED') AS grants_issued
  FROM programs p JOIN accounts a ON a.id = 'program:' || p.id`;

const toProgram = (r: Record<string, unknown>): Program => ({
  id: r.id as string,
  fundId: r.fund_id as string,
  name: r.name as string,
  grantAmountCents: Number(r.grant_amount_cents),
  budgetCents: Number(r.budget_cents),
  remainingBudgetCents: Number(r.remaining_budget_cents),
  minAge: r.min_age as number | null,
  maxAge: r.max_age as number | null,
  referrerOrganizationIds: r.referrer_organization_ids as string[],
  eligibleCategories: r.eligible_categories as string[],
  eligibleProviderIds: r.eligible_provider_ids as string[],
  eligibleOfferingIds: r.eligible_offering_ids as string[],
  issueUntil: r.issue_until as string | null,
  spendDeadline: r.spend_deadline as string,
  grantsIssued: Number(r.grants_issued),
  createdAt: r.created_at as Date,
});

/** A program as created: its derived figures (remaining budget, grants issued) come later. */
export type NewProgram = Omit<Program, 'remainingBudgetCents' | 'grantsIssued' | 'createdAt'> & {
  createdBy: string;
};

export async function insertProgram(tx: Sql, p: NewProgram): Promise<void> {
  await tx.query(
    `INSERT INTO programs (id, fund_id, name, grant_amount_cents, budget_cents, min_age, max_age,
       referrer_organization_ids, eligible_categories, eligible_provider_ids, eligible_offering_ids,
       issue_until, spend_deadline, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      p.id,
      p.fundId,
      p.name,
      p.grantAmountCents,
      p.budgetCents,
      p.minAge,
      p.maxAge,
      p.referrerOrganizationIds,
      p.eligibleCategories,
      p.eligibleProviderIds,
      p.eligibleOfferingIds,
      p.issueUntil,
      p.spendDeadline,
      p.createdBy,
    ],
  );
}

export async function findPrograms(db: Sql, ids: readonly string[]): Promise<Program[]> {
  return (await db.query(`${PROGRAM_SELECT} WHERE p.id = ANY($1::uuid[])`, [ids])).map(toProgram);
}

export async function programsOfFunds(db: Sql, fundIds: readonly string[]): Promise<Program[]> {
  return (
    await db.query(`${PROGRAM_SELECT} WHERE p.fund_id = ANY($1::uuid[]) ORDER BY p.created_at, p.id`, [
      fundIds,
    ])
  ).map(toProgram);
}
