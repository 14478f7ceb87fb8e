import { openPostgres } from '@mentoring/db';
import { createInternalClient } from '@mentoring/internal-api';
import { createServiceTokens } from '@mentoring/subgraph-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { claimCodeKeys } from '../src/domain/claim-codes';
import { issueGrant } from '../src/domain/issuing';
import {
  bornYearsAgo,
  CLAIM_CODE_KEY,
  errorCodes,
  type GrantWorld,
  ISSUE_GRANT,
  type IssuedData,
  inDays,
  recipient,
  startGrantWorld,
  unique,
} from './grant-world';

let w: GrantWorld;

beforeAll(async () => {
  w = await startGrantWorld('funds_issue');
});

const issue = (
  programId: string,
  referrerOrganizationId: string,
  who: unknown,
  idempotencyKey = unique('key'),
) => ({
  input: { programId, referrerOrganizationId, idempotencyKey, recipient: who },
});

describe('a referrer issuing a grant', () => {
  it('gets a claim code to read aloud and an ISSUED grant paid from the program budget', async () => {
    const { programId } = await w.program({ grantCents: 8_000, budgetCents: 16_000, maxAge: 17 });
    const data = await w.ok<IssuedData>(
      ISSUE_GRANT,
      issue(programId, w.school, recipient(16)),
      w.schoolStaff.token,
    );
    expect(data.issueGrant.claimCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(data.issueGrant.grant).toMatchObject({
      status: 'ISSUED',
      amountCents: 8_000,
      balanceCents: 8_000,
      program: { id: programId, name: 'Mentoring 2.1' },
      beneficiary: { id: expect.any(String) },
    });
    // Unclaimed grants expire with the spend deadline when the program has no issueUntil.
    expect(data.issueGrant.grant.expiresAt).toBe(`${inDays(300)}T23:59:59.999Z`);
    expect(await w.remainingBudget(programId)).toBe(8_000);
    await w.expectLedgerClean();
  });

  it('never stores the code in clear: only its keyed hash and the sealed code', async () => {
    const { programId } = await w.program({ grantCents: 100, budgetCents: 100 });
    const { issueGrant } = await w.ok<IssuedData>(
      ISSUE_GRANT,
      issue(programId, w.school, recipient()),
      w.schoolStaff.token,
    );
    const [row] = await w.db.query<Record<string, string>>('SELECT * FROM grants WHERE id = $1', [
      issueGrant.grant.id,
    ]);
    const code = issueGrant.claimCode.replace('-', '');
    expect(JSON.stringify(row)).not.toContain(code);
    expect(row!.claim_code_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('may come from a social agency too, and expires unclaimed when issuing closes', async () => {
    const { programId } = await w.program({ grantCents: 100, budgetCents: 100, issueUntil: inDays(30) });
    const { issueGrant } = await w.ok<IssuedData>(
      ISSUE_GRANT,
      issue(programId, w.agency, recipient()),
      w.agencyStaff.token,
    );
    expect(issueGrant.grant.expiresAt).toBe(`${inDays(30)}T23:59:59.999Z`);
  });

  it('is refused to staff of a referrer the program does not list', async () => {
    const { programId } = await w.program({
      grantCents: 100,
      budgetCents: 100,
      referrerOrganizationIds: [w.agency],
    });
    const res = await w.gql(ISSUE_GRANT, issue(programId, w.school, recipient()), {
      token: w.schoolStaff.token,
    });
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(res.errors?.[0]?.message).toMatch(/does not accept grants from your organization/);
  });

  it('is refused to members of organizations that are not referrers, to strangers and to operators', async () => {
    const { programId } = await w.program({ grantCents: 100, budgetCents: 100 });
    const sponsorAdmin = await w.joins(await w.signUp('sponsor-admin'), w.sponsor, 'ADMIN');
    expect(
      errorCodes(
        await w.gql(ISSUE_GRANT, issue(programId, w.sponsor, recipient()), { token: sponsorAdmin.token }),
      ),
    ).toEqual(['FORBIDDEN']);
    const stranger = await w.signUp('stranger');
    expect(
      errorCodes(
        await w.gql(ISSUE_GRANT, issue(programId, w.school, recipient()), { token: stranger.token }),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(
      errorCodes(await w.gql(ISSUE_GRANT, issue(programId, w.school, recipient()), { token: w.operator })),
    ).toEqual(['FORBIDDEN']);
    expect(errorCodes(await w.gql(ISSUE_GRANT, issue(programId, w.school, recipient())))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('is refused for recipients too old or too young on the issue date, saying why', async () => {
    const { programId } = await w.program({ grantCents: 100, budgetCents: 1_000, minAge: 10, maxAge: 17 });
    const tooOld = await w.gql(ISSUE_GRANT, issue(programId, w.school, recipient(18)), {
      token: w.schoolStaff.token,
    });
    expect(errorCodes(tooOld)).toEqual(['NOT_ELIGIBLE']);
    expect(tooOld.errors?.[0]?.message).toBe('The recipient is 18; this program is for ages up to 17.');
    const tooYoung = await w.gql(ISSUE_GRANT, issue(programId, w.school, recipient(9)), {
      token: w.schoolStaff.token,
    });
    expect(errorCodes(tooYoung)).toEqual(['NOT_ELIGIBLE']);
    expect(tooYoung.errors?.[0]?.message).toBe('The recipient is 9; this program is for ages 10 and over.');
    expect(await w.remainingBudget(programId)).toBe(1_000);
  });

  it('is refused once the program stopped issuing', async () => {
    const { programId } = await w.program({ grantCents: 100, budgetCents: 1_000, issueUntil: inDays(0) });
    await w.db.query(`UPDATE programs SET issue_until = $2 WHERE id = $1`, [programId, inDays(-1)]);
    const res = await w.gql(ISSUE_GRANT, issue(programId, w.school, recipient()), {
      token: w.schoolStaff.token,
    });
    expect(errorCodes(res)).toEqual(['NOT_ELIGIBLE']);
    expect(res.errors?.[0]?.message).toBe(`This program stopped issuing grants on ${inDays(-1)}.`);
  });

  it('is refused a second time for the same person in the same program (however the name is typed)', async () => {
    const { programId } = await w.program({ grantCents: 100, budgetCents: 1_000 });
    const person = recipient(15);
    await w.ok(ISSUE_GRANT, issue(programId, w.school, person), w.schoolStaff.token);
    const again = { ...person, firstName: `  ${person.firstName.toUpperCase()} ` };
    const res = await w.gql(ISSUE_GRANT, issue(programId, w.agency, again), { token: w.agencyStaff.token });
    expect(errorCodes(res)).toEqual(['NOT_ELIGIBLE']);
    expect(res.errors?.[0]?.message).toBe('This person already has a grant from this program.');
    expect(await w.remainingBudget(programId)).toBe(900);
  });

  it('is refused when the budget cannot pay one more grant', async () => {
    const { programId } = await w.program({ grantCents: 600, budgetCents: 1_000 });
    await w.ok(ISSUE_GRANT, issue(programId, w.school, recipient()), w.schoolStaff.token);
    const res = await w.gql(ISSUE_GRANT, issue(programId, w.school, recipient()), {
      token: w.schoolStaff.token,
    });
    expect(errorCodes(res)).toEqual(['INSUFFICIENT_FUNDS']);
    expect(res.errors?.[0]?.message).toMatch(
      /remaining budget \(400 cents\) cannot cover another grant of 600 cents/,
    );
  });

  it('rejects bad input: unknown program, blank names, impossible or future birth dates, bad emails', async () => {
    const { programId } = await w.program({ grantCents: 100, budgetCents: 1_000 });
    const token = w.schoolStaff.token;
    const codeOf = async (programIdArg: string, who: unknown, key?: string) =>
      errorCodes(await w.gql(ISSUE_GRANT, issue(programIdArg, w.school, who, key), { token }));
    expect(await codeOf('00000000-0000-4000-8000-000000000000', recipient())).toEqual(['NOT_FOUND']);
    expect(await codeOf(programId, recipient(16, { firstName: '   ' }))).toEqual(['BAD_USER_INPUT']);
    expect(await codeOf(programId, recipient(16, { birthDate: '2010-02-30' }))).toEqual(['BAD_USER_INPUT']);
    expect(await codeOf(programId, recipient(16, { birthDate: inDays(3) }))).toEqual(['BAD_USER_INPUT']);
    expect(await codeOf(programId, recipient(16, { email: 'not-an-email' }))).toEqual(['BAD_USER_INPUT']);
    expect(await codeOf(programId, recipient(), ' padded ')).toEqual(['BAD_USER_INPUT']);
    expect(await w.remainingBudget(programId)).toBe(1_000);
  });
});

describe('retrying an issue', () => {
  it('with the same key and input returns the same grant and the same code, paid once', async () => {
    const { programId } = await w.program({ grantCents: 100, budgetCents: 1_000 });
    const request = issue(programId, w.school, recipient(16, { email: 'giulia@example.test' }));
    const first = await w.ok<IssuedData>(ISSUE_GRANT, request, w.schoolStaff.token);
    const again = await w.ok<IssuedData>(ISSUE_GRANT, request, w.schoolStaff.token);
    expect(again.issueGrant.grant.id).toBe(first.issueGrant.grant.id);
    expect(again.issueGrant.claimCode).toBe(first.issueGrant.claimCode);
    expect(await w.remainingBudget(programId)).toBe(900);
    const events = (await w.events('grant.issued')).filter(
      (e) => e.payload.grantId === first.issueGrant.grant.id,
    );
    expect(events).toHaveLength(1);
  });

  it('with the same key at the same moment still makes one grant', async () => {
    const { programId } = await w.program({ grantCents: 100, budgetCents: 1_000 });
    const request = issue(programId, w.school, recipient());
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => w.ok<IssuedData>(ISSUE_GRANT, request, w.schoolStaff.token)),
    );
    expect(new Set(answers.map((a) => a.issueGrant.grant.id)).size).toBe(1);
    expect(new Set(answers.map((a) => a.issueGrant.claimCode)).size).toBe(1);
    expect(await w.remainingBudget(programId)).toBe(900);
  });

  it('with the same key but another recipient is an IDEMPOTENCY_CONFLICT', async () => {
    const { programId } = await w.program({ grantCents: 100, budgetCents: 1_000 });
    const key = unique('key');
    await w.ok(ISSUE_GRANT, issue(programId, w.school, recipient(), key), w.schoolStaff.token);
    const res = await w.gql(ISSUE_GRANT, issue(programId, w.school, recipient(), key), {
      token: w.schoolStaff.token,
    });
    expect(errorCodes(res)).toEqual(['IDEMPOTENCY_CONFLICT']);
  });

  it('uses keys scoped to the referrer: another referrer may use the same key', async () => {
    const { programId } = await w.program({ grantCents: 100, budgetCents: 1_000 });
    const key = unique('key');
    const a = await w.ok<IssuedData>(
      ISSUE_GRANT,
      issue(programId, w.school, recipient(), key),
      w.schoolStaff.token,
    );
    const b = await w.ok<IssuedData>(
      ISSUE_GRANT,
      issue(programId, w.agency, recipient(), key),
      w.agencyStaff.token,
    );
    expect(a.issueGrant.grant.id).not.toBe(b.issueGrant.grant.id);
  });
});

describe('an Open Day rush', () => {
  it('issues exactly 600 of 1,000 concurrent grants against a budget for 600, leaving 0 and a clean ledger', async () => {
    const { programId } = await w.program({ grantCents: 500, budgetCents: 300_000 });
    // A pool like the service's own (20 connections).
    const db = openPostgres({ service: 'funds-rush', url: w.databaseUrl, max: 20 });
    const deps = {
      db,
      identity: createInternalClient({
        tokens: createServiceTokens(w.secret, 'funds'),
        urls: { identity: w.identityUrl },
      }),
      codes: claimCodeKeys(CLAIM_CODE_KEY),
    };
    const started = Date.now();
    const outcomes: string[] = [];
    let next = 0;
    // 1,000 calls, 50 at a time, through the domain function (identity over HTTP, real PostgreSQL).
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < 1_000) {
          const i = next++;
          try {
            await issueGrant(deps, w.schoolStaff.id, {
              programId,
              referrerOrganizationId: w.school,
              idempotencyKey: `rush-${programId}-${i}`,
              recipient: { firstName: `Ragazzo ${i}`, lastName: 'Open Day', birthDate: bornYearsAgo(15) },
            });
            outcomes.push('OK');
          } catch (error) {
            outcomes.push(String((error as { extensions?: { code?: string } }).extensions?.code ?? error));
          }
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    await db.close();
    console.log(`1,000 concurrent issues took ${seconds.toFixed(1)} s`);
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(600);
    expect(outcomes.filter((o) => o === 'INSUFFICIENT_FUNDS')).toHaveLength(400);
    const [{ count }] = (await w.db.query<{ count: string }>(
      'SELECT count(*) FROM grants WHERE program_id = $1',
      [programId],
    )) as [{ count: string }];
    expect(Number(count)).toBe(600);
    expect(await w.remainingBudget(programId)).toBe(0);
    await w.expectLedgerClean();
  }, 180_000);
});
