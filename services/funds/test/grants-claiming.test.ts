import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLAIM_CODE_SPACE, generateClaimCode, normalizeClaimCode } from '../src/domain/claim-codes';
import {
  CLAIM_GRANT,
  errorCodes,
  type GrantWorld,
  ISSUE_GRANT,
  type IssuedData,
  inDays,
  MY_GRANTS,
  type Person,
  recipient,
  startGrantWorld,
  unique,
} from './grant-world';

let w: GrantWorld;

beforeAll(async () => {
  w = await startGrantWorld('funds_claim');
});

/** Requests from one made-up client address (funds trusts x-forwarded-for from the local gateway). */
const fromIp = () => ({
  'x-forwarded-for': `10.${[1, 2, 3].map(() => Math.floor(Math.random() * 250)).join('.')}`,
});

async function issued(terms: Record<string, unknown> = {}, who = recipient(16)) {
  const { programId } = await w.program({ grantCents: 8_000, budgetCents: 80_000, ...terms });
  const { issueGrant } = await w.ok<IssuedData>(
    ISSUE_GRANT,
    { input: { programId, referrerOrganizationId: w.school, idempotencyKey: unique('key'), recipient: who } },
    w.schoolStaff.token,
  );
  return { programId, code: issueGrant.claimCode, grant: issueGrant.grant };
}

const claim = (person: Person, code: string, extra: Record<string, unknown> = {}, headers = fromIp()) =>
  w.gql<{ claimGrant: { id: string; status: string; balanceCents: number } }>(
    CLAIM_GRANT,
    { code, ...extra },
    { token: person.token, headers },
  );

describe('claim codes', () => {
  it('are 10 Crockford base32 characters, read back however they are typed', () => {
    const code = generateClaimCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(normalizeClaimCode(`${code.slice(0, 5).toLowerCase()}-${code.slice(5)}`)).toBe(code);
    expect(normalizeClaimCode(' abcde 0o1il ')).toBe('ABCDE00111');
    expect(normalizeClaimCode('ABCDE-1234U')).toBeNull();
    expect(normalizeClaimCode('ABCDE-123')).toBeNull();
  });
});

describe('claiming a grant', () => {
  it('makes the signed-in user its holder: ACTIVE until the spend deadline, shown among their grants', async () => {
    const { code, grant, programId } = await issued({ eligibleCategories: ['music'] });
    const young = await w.signUp('giulia');
    const res = await claim(young, code.toLowerCase().replace('-', ''));
    expect(res.errors).toBeUndefined();
    expect(res.data?.claimGrant).toEqual({
      id: grant.id,
      status: 'ACTIVE',
      balanceCents: 8_000,
      program: { id: programId, name: 'Mentoring 2.1' },
    });
    const mine = await w.ok<{ _entities: [{ grants: unknown[] }] }>(MY_GRANTS, { id: young.id }, young.token);
    expect(mine._entities[0].grants).toEqual([
      {
        id: grant.id,
        status: 'ACTIVE',
        amountCents: 8_000,
        balanceCents: 8_000,
        expiresAt: `${inDays(300)}T23:59:59.999Z`,
        program: { id: programId, name: 'Mentoring 2.1' },
        beneficiary: { id: grant.beneficiary.id },
        communityId: w.community,
        eligibleCategories: ['music'],
        eligibleProviderIds: [],
        eligibleOfferingIds: [],
        spendDeadline: inDays(300),
      },
    ]);
    const [event] = (await w.events('grant.claimed')).filter((e) => e.payload.grantId === grant.id);
    expect(event).toEqual({
      queue: 'notifications',
      payload: {
        grantId: grant.id,
        programName: 'Mentoring 2.1',
        holderUserId: young.id,
        balanceCents: 8_000,
      },
    });
  });

  it('works once: of 20 people claiming the same code at the same moment exactly one wins', async () => {
    const { code, grant } = await issued();
    const people = await Promise.all(Array.from({ length: 20 }, (_, i) => w.signUp(`claimer-${i}`)));
    const answers = await Promise.all(people.map((p) => claim(p, code)));
    const winners = answers.filter((a) => a.data?.claimGrant?.status === 'ACTIVE');
    expect(winners).toHaveLength(1);
    expect(answers.flatMap(errorCodes).sort()).toEqual(Array(19).fill('ALREADY_FINAL'));
    const [row] = await w.db.query<{ holder_user_id: string }>(
      'SELECT holder_user_id FROM grants WHERE id = $1',
      [grant.id],
    );
    expect(people.map((p) => p.id)).toContain(row!.holder_user_id);
    expect((await w.events('grant.claimed')).filter((e) => e.payload.grantId === grant.id)).toHaveLength(1);
  });

  it('cannot be done twice, not even by the holder', async () => {
    const { code } = await issued();
    const young = await w.signUp();
    expect((await claim(young, code)).errors).toBeUndefined();
    const again = await claim(young, code);
    expect(errorCodes(again)).toEqual(['ALREADY_FINAL']);
    expect(again.errors?.[0]?.message).toBe('This code was already used.');
  });

  it('for a beneficiary under 14 needs a guardian who gives consent (identity records it)', async () => {
    const { code, grant } = await issued({}, recipient(12));
    const guardian = await w.signUp('guardian');
    const withoutConsent = await claim(guardian, code);
    expect(errorCodes(withoutConsent)).toEqual(['NOT_ELIGIBLE']);
    expect(withoutConsent.errors?.[0]?.message).toMatch(/guardian/);
    const [still] = await w.db.query<{ status: string }>('SELECT status FROM grants WHERE id = $1', [
      grant.id,
    ]);
    expect(still!.status).toBe('ISSUED');
    const withConsent = await claim(guardian, code, { guardianConsent: true });
    expect(withConsent.data?.claimGrant.status).toBe('ACTIVE');
  });

  it('needs a signed-in user', async () => {
    const { code } = await issued();
    expect(errorCodes(await w.gql(CLAIM_GRANT, { code }))).toEqual(['UNAUTHENTICATED']);
  });

  it('answers the same for a made-up, a mistyped and a malformed code: it never tells whether a code exists', async () => {
    const person = await w.signUp();
    const headers = fromIp();
    for (const code of ['AAAAA-AAAAA', 'short', generateClaimCode()]) {
      const res = await claim(person, code, {}, headers);
      expect(errorCodes(res)).toEqual(['NOT_FOUND']);
      expect(res.errors?.[0]?.message).toBe('This code is not valid.');
    }
  });

  it('of an expired or revoked grant is refused as final', async () => {
    const revoked = await issued();
    await w.ok('mutation ($id: ID!) { revokeGrant(id: $id) { id } }', { id: revoked.grant.id });
    const person = await w.signUp();
    const res = await claim(person, revoked.code);
    expect(errorCodes(res)).toEqual(['ALREADY_FINAL']);
    expect(res.errors?.[0]?.message).toMatch(/withdrawn/);

    const lapsed = await issued();
    await w.db.query(`UPDATE grants SET expires_at = now() - interval '1 minute' WHERE id = $1`, [
      lapsed.grant.id,
    ]);
    const late = await claim(person, lapsed.code);
    expect(errorCodes(late)).toEqual(['NOT_ELIGIBLE']);
    expect(late.errors?.[0]?.message).toMatch(/expired/);
  });
});

describe('guessing codes', () => {
  // There are 32^10 ≈ 1.1e15 codes. At 20 wrong guesses per IP per 15 minutes (80 an hour), even with
  // 100,000 live codes one IP needs about 1.1e10 / 80 ≈ 1.6e4 years on average to hit one; a user, 4x longer.
  it(`is stopped after 5 wrong codes per user in 15 minutes, even before the right one (keyspace ${CLAIM_CODE_SPACE.toExponential(1)})`, async () => {
    expect(CLAIM_CODE_SPACE).toBe(32 ** 10);
    const { code } = await issued();
    const guesser = await w.signUp('guesser');
    const headers = fromIp();
    for (let i = 0; i < 5; i++)
      expect(errorCodes(await claim(guesser, generateClaimCode(), {}, headers))).toEqual(['NOT_FOUND']);
    const blocked = await claim(guesser, code, {}, headers);
    expect(errorCodes(blocked)).toEqual(['RATE_LIMITED']);
    // Someone else (from another address) can still claim it.
    expect((await claim(await w.signUp(), code)).data?.claimGrant.status).toBe('ACTIVE');
  });

  it('is stopped after 20 wrong codes from one IP address, whoever signs in', async () => {
    const headers = fromIp();
    const guessers = await Promise.all(Array.from({ length: 5 }, () => w.signUp('botnet')));
    for (const guesser of guessers.slice(0, 4))
      for (let i = 0; i < 5; i++)
        expect(errorCodes(await claim(guesser, generateClaimCode(), {}, headers))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await claim(guessers[4]!, generateClaimCode(), {}, headers))).toEqual(['RATE_LIMITED']);
  });

  it('cannot slip past the limit by guessing in parallel', async () => {
    const guesser = await w.signUp('parallel');
    const headers = fromIp();
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => claim(guesser, generateClaimCode(), {}, headers)),
    );
    const codes = answers.flatMap(errorCodes);
    expect(codes.filter((c) => c === 'NOT_FOUND')).toHaveLength(5);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(25);
  });
});

describe('a grant', () => {
  it('is visible to its holder, to the referrer that issued it and to operators, and to no one else', async () => {
    const { grant } = await issued();
    const query =
      'query ($id: ID!) { _entities(representations: [{ __typename: "Grant", id: $id }]) { ... on Grant { id status } } }';
    expect(
      (await w.ok<{ _entities: unknown[] }>(query, { id: grant.id }, w.schoolStaff.token))._entities,
    ).toEqual([{ id: grant.id, status: 'ISSUED' }]);
    expect((await w.ok<{ _entities: unknown[] }>(query, { id: grant.id }))._entities).toHaveLength(1);
    expect(errorCodes(await w.gql(query, { id: grant.id }, { token: w.agencyStaff.token }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(errorCodes(await w.gql(query, { id: randomUUID() }, { token: w.agencyStaff.token }))).toEqual([]);
  });
});
