// Issuing grants: a referrer's staff names a recipient, identity stores them as
// a beneficiary, funds checks eligibility, moves the money and hands out a code.
import { createHash, randomUUID } from 'node:crypto';
import type { Database, Sql } from '@mentoring/db';
import { emitEvent } from '@mentoring/events';
import { type InternalClient, identityApi } from '@mentoring/internal-api';
import { badInput, notFound, UserError } from '@mentoring/subgraph-kit';
import { z } from 'zod';
import { findFunds, findPrograms, type Program } from '../db/funds';
import {
  findGrantByKey,
  findGrantOfBatchItem,
  findGrantOfBeneficiary,
  findGrants,
  type Grant,
  type GrantBatch,
  insertIssuedGrant,
  insertOrFindBatch,
} from '../db/grants';
import { openAccount } from '../db/ledger';
import { type ClaimCodeKeys, formatClaimCode, generateClaimCode } from './claim-codes';
import { checkBudget, checkRecipient, requireProgramReferrer } from './eligibility';
import { unclaimedExpiry } from './grant-lifecycle';
import { account } from './ledger/accounts';
import { transfer } from './ledger/transfers';
import { calendarDate, foreignId, idempotencyKey, isUuid, today } from './values';

/** What issuing needs besides the database: identity's internal API and the claim-code key. */
export interface IssuingDeps {
  db: Database;
  identity: InternalClient;
  codes: ClaimCodeKeys;
  now?: () => Date;
}

export interface GrantRecipientInput {
  firstName: string;
  lastName: string;
  birthDate: string;
  email?: string | null | undefined;
  guardianEmail?: string | null | undefined;
}

export interface IssueGrantInput {
  programId: string;
  referrerOrganizationId: string;
  idempotencyKey: string;
  recipient: GrantRecipientInput;
}

export interface IssueGrantsInput {
  programId: string;
  referrerOrganizationId: string;
  idempotencyKey: string;
  recipients: GrantRecipientInput[];
}

export interface IssuedGrant {
  /** `XXXXX-XXXXX`; the same on a retry with the same key. */
  claimCode: string;
  grant: Grant;
}

export interface BatchItemResult {
  index: number;
  claimCode: string | null;
  grant: Grant | null;
  error: { code: string; message: string } | null;
}

export const MAX_BATCH_RECIPIENTS = 500;

const emailSchema = z.email().max(254);

function personName(value: string, field: string): string {
  const trimmed = value.trim().replace(/\s+/g, ' ');
  if (trimmed.length === 0 || trimmed.length > 100)
    throw badInput(`${field} must be between 1 and 100 characters.`, field);
  return trimmed;
}

function optionalEmail(value: string | null | undefined, field: string): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (!emailSchema.safeParse(trimmed).success) throw badInput(`${field} is not an email address.`, field);
  return trimmed.toLowerCase();
}

interface Recipient {
  firstName: string;
  lastName: string;
  birthDate: string;
  email?: string;
  guardianEmail?: string;
}

export function parseRecipient(input: GrantRecipientInput): Recipient {
  const email = optionalEmail(input.email, 'recipient.email');
  const guardianEmail = optionalEmail(input.guardianEmail, 'recipient.guardianEmail');
  return {
    firstName: personName(input.firstName, 'recipient.firstName'),
    lastName: personName(input.lastName, 'recipient.lastName'),
    birthDate: calendarDate(input.birthDate, 'recipient.birthDate'),
    ...(email ? { email } : {}),
    ...(guardianEmail ? { guardianEmail } : {}),
  };
}

/** A recipient as compared on retries: spacing, letter case of emails and missing vs null fields do not matter. */
const recipientFingerprint = (r: GrantRecipientInput) => ({
  firstName: r.firstName.trim(),
  lastName: r.lastName.trim(),
  birthDate: r.birthDate,
  email: r.email?.trim().toLowerCase() || null,
  guardianEmail: r.guardianEmail?.trim().toLowerCase() || null,
});

/** A fingerprint of what was asked, to tell a retry (same) from a reused key (different). */
const requestHash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

const conflict = () =>
  new UserError('IDEMPOTENCY_CONFLICT', 'This idempotency key was already used with a different request.');

async function loadProgram(db: Sql, programId: string): Promise<Program> {
  const program = isUuid(programId) ? (await findPrograms(db, [programId]))[0] : undefined;
  if (!program) throw notFound('Program');
  return program;
}

function replay(codes: ClaimCodeKeys, grant: Grant, hash: string): IssuedGrant {
  if (grant.requestHash !== hash) throw conflict();
  const code = grant.claimCodeSealed ? codes.unseal(grant.claimCodeSealed) : null;
  if (!code) throw new Error(`grant ${grant.id}: its claim code cannot be unsealed with this key`);
  return { claimCode: formatClaimCode(code), grant };
}

type Slot = { idempotencyKey: string; batchId?: undefined } | { batchId: string; index: number };

interface IssueOne {
  issuedBy: string;
  referrerOrganizationId: string;
  program: Program;
  communityId: string;
  recipient: Recipient;
  slot: Slot;
  hash: string;
}

const alreadyHasOne = () =>
  new UserError('NOT_ELIGIBLE', 'This person already has a grant from this program.');

const budgetShort = (program: Program) =>
  new UserError(
    'INSUFFICIENT_FUNDS',
    `The program's budget is spent: it cannot pay another grant of ${program.grantAmountCents} cents.`,
  );

/** Stores the beneficiary (identity), then the grant, its money and its event in one transaction. */
async function issueOne(deps: IssuingDeps, order: IssueOne): Promise<IssuedGrant> {
  const { db, codes } = deps;
  const now = deps.now?.() ?? new Date();
  const { program, recipient } = order;
  checkRecipient(program, recipient.birthDate, today(now));
  const beneficiary = await deps.identity(identityApi.findOrCreateBeneficiary, {
    communityId: order.communityId,
    referrerOrganizationId: order.referrerOrganizationId,
    ...recipient,
  });
  const findSame = (tx: Sql) =>
    order.slot.batchId === undefined
      ? findGrantByKey(tx, order.referrerOrganizationId, order.slot.idempotencyKey)
      : findGrantOfBatchItem(tx, order.slot.batchId, order.slot.index);
  // Quick answers before any lock (a concurrent retry may have just issued it); the unique
  // constraint and the ledger guard decide under concurrency.
  if (await findGrantOfBeneficiary(db, program.id, beneficiary.id)) {
    const same = await findSame(db);
    if (same) return replay(codes, same, order.hash);
    throw alreadyHasOne();
  }
  checkBudget(program);

  for (let attempt = 0; ; attempt++) {
    const code = generateClaimCode();
    const outcome = await db.transaction(
      async (tx): Promise<IssuedGrant | { claimCode: string; grantId: string } | 'COLLISION'> => {
        const id = randomUUID();
        const expiresAt = unclaimedExpiry(program);
        const inserted = await insertIssuedGrant(tx, {
          id,
          programId: program.id,
          beneficiaryId: beneficiary.id,
          holderUserId: null,
          status: 'ISSUED',
          amountCents: program.grantAmountCents,
          claimCodeHash: codes.hash(code),
          claimCodeSealed: codes.seal(code),
          idempotencyKey: order.slot.batchId === undefined ? order.slot.idempotencyKey : null,
          batchId: order.slot.batchId ?? null,
          batchIndex: order.slot.batchId === undefined ? null : order.slot.index,
          issuedBy: order.issuedBy,
          referrerOrganizationId: order.referrerOrganizationId,
          expiresAt,
          requestHash: order.hash,
        });
        if (!inserted) {
          const same = await findSame(tx);
          if (same) return replay(codes, same, order.hash);
          if (await findGrantOfBeneficiary(tx, program.id, beneficiary.id))
            throw new UserError('NOT_ELIGIBLE', 'This person already has a grant from this program.');
          return 'COLLISION';
        }
        const grantAccount = account.grant(id);
        await openAccount(tx, grantAccount.id, grantAccount.kind, true);
        if (recipient.email || recipient.guardianEmail)
          await emitEvent(tx, 'grant.issued', {
            grantId: id,
            programName: program.name,
            amountCents: program.grantAmountCents,
            claimCode: formatClaimCode(code),
            expiresAt: expiresAt.toISOString(),
            ...(recipient.email ? { email: recipient.email } : {}),
            ...(recipient.guardianEmail ? { guardianEmail: recipient.guardianEmail } : {}),
            beneficiaryFirstName: recipient.firstName,
          });
        // Last, so the program's account row (every issue of the program waits for it) is held only until commit.
        try {
          await transfer(tx, {
            idempotencyKey: `grant-issue:${id}`,
            debit: account.program(program.id),
            credit: grantAccount,
            amountCents: program.grantAmountCents,
            kind: 'GRANT_ISSUE',
            metadata: { grantId: id },
          });
        } catch (error) {
          if ((error as UserError).extensions?.code === 'INSUFFICIENT_FUNDS') throw budgetShort(program);
          throw error;
        }
        return { claimCode: formatClaimCode(code), grantId: id };
      },
    );
    // Two codes alike among 1.1e15: draw again (a handful of times at most, ever).
    if (outcome === 'COLLISION') {
      if (attempt >= 3) throw new Error('could not draw an unused claim code');
      continue;
    }
    if ('grant' in outcome) return outcome;
    return { claimCode: outcome.claimCode, grant: (await findGrants(db, [outcome.grantId]))[0]! };
  }
}

async function communityOf(db: Sql, program: Program): Promise<string> {
  const fund = (await findFunds(db, [program.fundId]))[0];
  if (!fund) throw notFound('Fund');
  return fund.communityId;
}

/**
 * Issues one grant for `issuedBy` (staff of the referrer, already checked).
 * Idempotent per referrer on the key: the same request returns the same grant
 * and code; a different one is IDEMPOTENCY_CONFLICT.
 */
export async function issueGrant(
  deps: IssuingDeps,
  issuedBy: string,
  input: IssueGrantInput,
): Promise<IssuedGrant> {
  const key = idempotencyKey(input.idempotencyKey);
  const referrerOrganizationId = foreignId(input.referrerOrganizationId, 'referrerOrganizationId');
  const recipient = parseRecipient(input.recipient);
  const hash = requestHash({ programId: input.programId, recipient });
  const earlier = await findGrantByKey(deps.db, referrerOrganizationId, key);
  if (earlier) return replay(deps.codes, earlier, hash);
  const program = await loadProgram(deps.db, input.programId);
  requireProgramReferrer(program, referrerOrganizationId);
  return issueOne(deps, {
    issuedBy,
    referrerOrganizationId,
    program,
    communityId: await communityOf(deps.db, program),
    recipient,
    slot: { idempotencyKey: key },
    hash,
  });
}

/** Runs `work` over `items` with at most `limit` at a time, results in order. */
async function inPool<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Open Day: many recipients at once, each issued or refused on its own
 * (partial success). Idempotent per referrer on the key: a retry returns the
 * grants already issued (same codes) and tries the refused ones again.
 */
export async function issueGrants(
  deps: IssuingDeps,
  issuedBy: string,
  input: IssueGrantsInput,
): Promise<{ batch: GrantBatch; results: BatchItemResult[] }> {
  const key = idempotencyKey(input.idempotencyKey);
  const referrerOrganizationId = foreignId(input.referrerOrganizationId, 'referrerOrganizationId');
  if (input.recipients.length === 0 || input.recipients.length > MAX_BATCH_RECIPIENTS)
    throw badInput(`Give between 1 and ${MAX_BATCH_RECIPIENTS} recipients.`, 'recipients');
  const program = await loadProgram(deps.db, input.programId);
  requireProgramReferrer(program, referrerOrganizationId);
  const parsed = input.recipients.map((r) => {
    try {
      return { recipient: parseRecipient(r) };
    } catch (error) {
      return { error: error as UserError };
    }
  });
  const hash = requestHash({ programId: program.id, recipients: input.recipients.map(recipientFingerprint) });
  const batch = await insertOrFindBatch(deps.db, {
    id: randomUUID(),
    programId: program.id,
    referrerOrganizationId,
    idempotencyKey: key,
    requestHash: hash,
    recipients: input.recipients.length,
    createdBy: issuedBy,
  });
  if (batch.requestHash !== hash) throw conflict();
  const communityId = await communityOf(deps.db, program);
  const results = await inPool(parsed, 8, async (item, index): Promise<BatchItemResult> => {
    try {
      if ('error' in item) throw item.error;
      const itemHash = requestHash({ programId: program.id, recipient: item.recipient });
      const earlier = await findGrantOfBatchItem(deps.db, batch.id, index);
      const issued = earlier
        ? replay(deps.codes, earlier, itemHash)
        : await issueOne(deps, {
            issuedBy,
            referrerOrganizationId,
            // Fresh remaining budget for the quick check; the ledger guard decides anyway.
            program: await loadProgram(deps.db, program.id),
            communityId,
            recipient: item.recipient,
            slot: { batchId: batch.id, index },
            hash: itemHash,
          });
      return { index, claimCode: issued.claimCode, grant: issued.grant, error: null };
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return {
        index,
        claimCode: null,
        grant: null,
        error: { code: String(error.extensions.code), message: error.message },
      };
    }
  });
  return { batch, results };
}
