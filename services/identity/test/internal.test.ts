import { randomBytes } from 'node:crypto';
import { identityApi } from '@mentoring/internal-api';
import { createServiceTokens, type UserError } from '@mentoring/subgraph-kit';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  createTown,
  operatorToken,
  type SignedIn,
  signUp,
  startIdentity,
  type TestIdentity,
} from './helpers';

let t: TestIdentity;
let operator: string;
let town: Awaited<ReturnType<typeof createTown>>;
beforeAll(async () => {
  t = await startIdentity();
  operator = await operatorToken(t);
  town = await createTown(t, operator);
});

let counter = 0;
/** A recipient nobody else in this file uses. */
const person = (birthDate = '2008-03-10') => ({
  firstName: 'Luca',
  lastName: `Bianchi${++counter}`,
  birthDate,
});
const refer = (recipient: { firstName: string; lastName: string; birthDate: string }, extra = {}) =>
  t.internal(identityApi.findOrCreateBeneficiary, {
    communityId: town.communityId,
    referrerOrganizationId: town.schoolId,
    ...recipient,
    ...extra,
  });
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (error: UserError) => error.extensions?.code,
  );

describe('the internal API', () => {
  const post = (token?: string) =>
    fetch(`${t.url}/internal/getUsers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ ids: [] }),
    });

  it('refuses anonymous callers', async () => {
    expect((await post()).status).toBe(401);
  });

  it("refuses user access tokens, even an operator's", async () => {
    expect((await post(operator)).status).toBe(401);
  });

  it('refuses service tokens made with another secret or addressed to another service', async () => {
    const forged = createServiceTokens(randomBytes(32).toString('hex'), 'funds');
    expect((await post(await forged.sign('identity'))).status).toBe(401);
    const misaddressed = createServiceTokens(t.serviceTokenSecret, 'funds');
    expect((await post(await misaddressed.sign('catalog'))).status).toBe(401);
  });

  it('accepts a service token addressed to identity', async () => {
    const tokens = createServiceTokens(t.serviceTokenSecret, 'funds');
    const res = await post(await tokens.sign('identity'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ result: [] });
  });
});

describe('beneficiaries', () => {
  it('are stored once per person, whatever the spelling of their names', async () => {
    const first = await refer({ firstName: 'Nicolò', lastName: "D'Angelo", birthDate: '2009-05-01' });
    const again = await refer({ firstName: '  nicolo ', lastName: 'd’angelo', birthDate: '2009-05-01' });
    expect(first).toEqual({
      id: expect.any(String),
      communityId: town.communityId,
      birthDate: '2009-05-01',
      created: true,
    });
    expect(again).toEqual({ ...first, created: false });
  });

  it('are different people with another birth date or in another community', async () => {
    const recipient = person();
    const a = await refer(recipient);
    const b = await refer({ ...recipient, birthDate: '2008-03-11' });
    expect(b.id).not.toBe(a.id);
    const elsewhere = await createTown(t, operator);
    const c = await t.internal(identityApi.findOrCreateBeneficiary, {
      communityId: elsewhere.communityId,
      referrerOrganizationId: elsewhere.schoolId,
      ...recipient,
    });
    expect(c.id).not.toBe(a.id);
  });

  it('are stored once when 20 referrals of the same person arrive at the same time', async () => {
    const recipient = person();
    const results = await Promise.all(Array.from({ length: 20 }, () => refer(recipient)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('must be referred by an organization of their community', async () => {
    const elsewhere = await createTown(t, operator);
    const res = t.internal(identityApi.findOrCreateBeneficiary, {
      communityId: town.communityId,
      referrerOrganizationId: elsewhere.schoolId,
      ...person(),
    });
    expect(await codeOf(res)).toBe('NOT_FOUND');
  });

  it('keep their email addresses (filled in later, never overwritten), not their names, in what other services read', async () => {
    const recipient = person();
    const { id } = await refer(recipient, { guardianEmail: 'Mamma@Example.test' });
    await refer(recipient, { email: 'luca@example.test', guardianEmail: 'someone.else@example.test' });
    const [row, ...rest] = await t.internal(identityApi.getBeneficiaries, { ids: [id, 'unknown-id'] });
    expect(rest).toEqual([]);
    expect(row).toEqual({
      id,
      communityId: town.communityId,
      birthDate: recipient.birthDate,
      holderUserId: null,
      email: 'luca@example.test',
      guardianEmail: 'mamma@example.test',
    });
  });
});

describe('claiming a beneficiary (linking a holder)', () => {
  const link = (beneficiaryId: string, userId: string, guardianConsent = false, today?: string) =>
    t.internal(identityApi.linkBeneficiaryHolder, {
      beneficiaryId,
      userId,
      guardianConsent,
      ...(today ? { today } : {}),
    });

  it('makes a beneficiary of 14 or more the holder, and repeating it changes nothing', async () => {
    const { id } = await refer(person('2010-06-15'));
    const user = await signUp(t, 'holder');
    expect(await link(id, user.id, false, '2024-06-15')).toEqual({ holderUserId: user.id });
    expect(await link(id, user.id, false, '2024-06-15')).toEqual({ holderUserId: user.id });
    const [row] = await t.internal(identityApi.getBeneficiaries, { ids: [id] });
    expect(row?.holderUserId).toBe(user.id);
  });

  it('refuses a second account', async () => {
    const { id } = await refer(person('2000-01-01'));
    await link(id, (await signUp(t, 'first')).id);
    expect(await codeOf(link(id, (await signUp(t, 'second')).id))).toBe('FORBIDDEN');
  });

  it("needs a guardian's consent under 14, and records it", async () => {
    const { id } = await refer(person('2010-06-15'));
    const guardian = await signUp(t, 'guardian');
    const refused = link(id, guardian.id, false, '2024-06-14');
    await expect(refused).rejects.toMatchObject({
      message: 'A guardian must claim this grant for a beneficiary under 14.',
      extensions: { code: 'NOT_ELIGIBLE' },
    });
    expect(await link(id, guardian.id, true, '2024-06-14')).toEqual({ holderUserId: guardian.id });
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT guardian_consent_user_id, guardian_consent_version, guardian_consent_at FROM beneficiaries WHERE id = $1',
        [id],
      );
      expect(rows[0]).toMatchObject({
        guardian_consent_user_id: guardian.id,
        guardian_consent_version: 'guardian-consent-v1',
        guardian_consent_at: expect.any(Date),
      });
    } finally {
      await client.end();
    }
  });

  it('answers NOT_FOUND for an unknown beneficiary or user', async () => {
    const { id } = await refer(person());
    const user = await signUp(t);
    expect(await codeOf(link('00000000-0000-4000-8000-000000000000', user.id))).toBe('NOT_FOUND');
    expect(await codeOf(link(id, '00000000-0000-4000-8000-000000000000'))).toBe('NOT_FOUND');
  });
});

describe('directory lookups', () => {
  it('give organizations with their payout and contact details', async () => {
    const orgs = await t.internal(identityApi.getOrganizations, { ids: [town.providerId, town.schoolId] });
    expect(orgs).toEqual(
      expect.arrayContaining([
        {
          id: town.providerId,
          communityId: town.communityId,
          kind: 'PROVIDER',
          name: 'Istituto Musicale Costa',
          iban: 'IT60X0542811101000000123456',
          email: null,
        },
        {
          id: town.schoolId,
          communityId: town.communityId,
          kind: 'SCHOOL',
          name: 'Liceo Cairoli',
          iban: null,
          email: 'segreteria@cairoli.test',
        },
      ]),
    );
  });

  it('give users with their email, name and locale (Italian by default)', async () => {
    const user = await signUp(t, 'reader');
    expect(await t.internal(identityApi.getUsers, { ids: [user.id, 'nobody'] })).toEqual([
      { id: user.id, email: user.email, displayName: 'reader', locale: 'it' },
    ]);
  });
});

describe('a beneficiary seen from another subgraph (_entities)', () => {
  type Names = { firstName: string | null; lastName: string | null };
  let beneficiaryId: string;
  const viewers = {} as Record<string, SignedIn | undefined>;

  beforeAll(async () => {
    beneficiaryId = (await refer({ firstName: 'Sara', lastName: 'Verdi', birthDate: '2007-09-09' })).id;
    viewers.holder = await signUp(t, 'sara');
    await t.internal(identityApi.linkBeneficiaryHolder, {
      beneficiaryId,
      userId: viewers.holder.id,
      guardianConsent: false,
    });
    viewers.referrerStaff = await addMember(t, operator, await signUp(t, 'teacher'), town.schoolId, 'STAFF');
    viewers.providerStaff = await addMember(
      t,
      operator,
      await signUp(t, 'cashier'),
      town.providerId,
      'STAFF',
    );
    viewers.otherUser = await signUp(t, 'nosy');
  });

  const names = async (token?: string) => {
    const res = await t.gql<{ _entities: Names[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Beneficiary { id firstName lastName } } }',
      { r: [{ __typename: 'Beneficiary', id: beneficiaryId }] },
      { token },
    );
    expect(res.errors).toBeUndefined();
    const { firstName, lastName } = res.data!._entities[0]!;
    return { firstName, lastName };
  };
  const shown = {
    visible: { firstName: 'Sara', lastName: 'Verdi' },
    hidden: { firstName: null, lastName: null },
  };

  it.each([
    ['the holder', 'holder', 'visible'],
    ['staff of the referring school', 'referrerStaff', 'visible'],
    ['an operator', 'operator', 'visible'],
    ['staff of a provider', 'providerStaff', 'hidden'],
    ['another user', 'otherUser', 'hidden'],
    ['an anonymous caller', 'anonymous', 'hidden'],
  ] as const)('for %s the names are %s', async (_, who, expected) => {
    const token = who === 'operator' ? operator : viewers[who]?.token;
    expect(await names(token)).toEqual(shown[expected]);
  });
});
