import { identityApi } from '@mentoring/internal-api';
import { errorCodes } from '@mentoring/testing';
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  createTown,
  dataOf,
  operatorToken,
  refreshed,
  signUp,
  startIdentity,
  type TestIdentity,
  uniqueEmail,
  uniqueSlug,
} from './helpers';
import {
  ADD_MEMBER,
  CREATE_COMMUNITY,
  CREATE_ORGANIZATION,
  GRANT_OPERATOR,
  ME,
  ORGANIZATIONS,
} from './operations';

let t: TestIdentity;
let operator: string;
let town: Awaited<ReturnType<typeof createTown>>;
beforeAll(async () => {
  t = await startIdentity();
  operator = await operatorToken(t);
  town = await createTown(t, operator);
});

const asOperator = <D>(query: string, variables: Record<string, unknown>) =>
  t.gql<D>(query, variables, { token: operator });

describe('communities', () => {
  it('are created by operators with a unique slug', async () => {
    const slug = uniqueSlug('pavia');
    const res = await asOperator<{ createCommunity: { id: string; name: string; slug: string } }>(
      CREATE_COMMUNITY,
      { input: { name: ' Pavia ', slug } },
    );
    expect(res.data?.createCommunity).toEqual({ id: expect.any(String), name: 'Pavia', slug });
    const again = await asOperator(CREATE_COMMUNITY, { input: { name: 'Pavia bis', slug } });
    expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
    expect(again.errors?.[0]?.message).toBe('A community with this slug already exists.');
  });

  it('are listed for anyone, by name', async () => {
    const res = await t.gql<{ communities: Array<{ id: string; slug: string }> }>(
      '{ communities { id slug } }',
      {},
    );
    expect(res.data?.communities).toContainEqual({
      id: town.communityId,
      slug: expect.stringMatching(/^vigevano-/),
    });
  });

  it.each(['Pavia', 'pavia city', '-pavia', ''])('refuse the slug %j', async (slug) => {
    const res = await asOperator(CREATE_COMMUNITY, { input: { name: 'Pavia', slug } });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('organizations', () => {
  it('are created in a community, with its id and slug', async () => {
    const res = await asOperator<{
      createOrganization: { id: string; name: string; kind: string; community: { id: string; slug: string } };
    }>(CREATE_ORGANIZATION, {
      input: { communityId: town.communityId, name: 'Scuola Media', kind: 'SCHOOL' },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.createOrganization).toMatchObject({
      name: 'Scuola Media',
      kind: 'SCHOOL',
      community: { id: town.communityId, slug: expect.stringMatching(/^vigevano-/) },
    });
  });

  it('keep their IBAN without spaces and in uppercase', async () => {
    const res = await asOperator<{ createOrganization: { id: string } }>(CREATE_ORGANIZATION, {
      input: {
        communityId: town.communityId,
        name: 'Teatro',
        kind: 'PROVIDER',
        iban: 'de89 3704 0044 0532 0130 00',
      },
    });
    const [org] = await t.internal(identityApi.getOrganizations, {
      ids: [res.data!.createOrganization.id],
    });
    expect(org?.iban).toBe('DE89370400440532013000');
  });

  it('refuse an IBAN whose checksum is wrong', async () => {
    const res = await asOperator(CREATE_ORGANIZATION, {
      input: {
        communityId: town.communityId,
        name: 'Teatro',
        kind: 'PROVIDER',
        iban: 'DE89370400440532013001',
      },
    });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).toBe('The IBAN is not valid.');
  });

  it('need an existing community', async () => {
    const res = await asOperator(CREATE_ORGANIZATION, {
      input: { communityId: '00000000-0000-4000-8000-000000000000', name: 'Nowhere', kind: 'SPONSOR' },
    });
    expect(errorCodes(res)).toEqual(['NOT_FOUND']);
  });

  it('are listed publicly by community, by name, optionally of one kind', async () => {
    const all = await t.gql<{ organizations: Array<{ name: string; kind: string }> }>(ORGANIZATIONS, {
      communityId: town.communityId,
    });
    expect(all.data?.organizations.map((o) => o.name)).toEqual(
      [...(all.data?.organizations.map((o) => o.name) ?? [])].sort(),
    );
    expect(all.data?.organizations.map((o) => o.name)).toContain('Fondazione Vigevano');
    const providers = await t.gql<{ organizations: Array<{ kind: string }> }>(ORGANIZATIONS, {
      communityId: town.communityId,
      kind: 'PROVIDER',
    });
    expect(providers.data?.organizations.length).toBeGreaterThan(0);
    expect(providers.data?.organizations.every((o) => o.kind === 'PROVIDER')).toBe(true);
  });

  it('show tax code, IBAN and email only to operators and their own members', async () => {
    const member = await addMember(t, operator, await signUp(t, 'provider-staff'), town.providerId, 'STAFF');
    const outsider = await signUp(t, 'outsider');
    const query = `query ($c: ID!) { organizations(communityId: $c, kind: PROVIDER) { id iban taxCode email } }`;
    const ibanSeenBy = async (token?: string) =>
      (
        await t.gql<{ organizations: Array<{ id: string; iban: string | null }> }>(
          query,
          { c: town.communityId },
          { token },
        )
      ).data?.organizations.find((o) => o.id === town.providerId)?.iban;
    expect(await ibanSeenBy(operator)).toBe('IT60X0542811101000000123456');
    expect(await ibanSeenBy(member.token)).toBe('IT60X0542811101000000123456');
    expect(await ibanSeenBy(outsider.token)).toBeNull();
    expect(await ibanSeenBy(undefined)).toBeNull();
  });
});

describe('members', () => {
  it("are added by email and appear in the user's own account", async () => {
    const user = await signUp(t, 'teacher');
    const res = await asOperator<{ addMember: unknown }>(ADD_MEMBER, {
      input: { organizationId: town.schoolId, email: user.email.toUpperCase(), role: 'STAFF' },
    });
    expect(res.data?.addMember).toEqual({
      role: 'STAFF',
      user: { id: user.id, email: user.email },
      organization: { id: town.schoolId },
    });
    const me = await t.gql<{ me: { memberships: unknown[] } }>(ME, {}, { token: user.token });
    expect(me.data?.me.memberships).toEqual([
      { role: 'STAFF', organization: { id: town.schoolId, name: 'Liceo Cairoli', kind: 'SCHOOL' } },
    ]);
  });

  it('get a new role when added again', async () => {
    const user = await signUp(t, 'promoted');
    await asOperator(ADD_MEMBER, {
      input: { organizationId: town.schoolId, email: user.email, role: 'STAFF' },
    });
    const res = await asOperator<{ addMember: { role: string } }>(ADD_MEMBER, {
      input: { organizationId: town.schoolId, email: user.email, role: 'ADMIN' },
    });
    expect(res.data?.addMember.role).toBe('ADMIN');
    const me = await t.gql<{ me: { memberships: unknown[] } }>(ME, {}, { token: user.token });
    expect(me.data?.me.memberships).toHaveLength(1);
  });

  it('travel in the next token the user gets', async () => {
    const user = await addMember(t, operator, await signUp(t, 'carrier'), town.sponsorId, 'ADMIN');
    expect(decodeJwt(user.token).mem).toEqual([[town.sponsorId, 'ADMIN', 'SPONSOR']]);
  });

  it('must already have an account', async () => {
    const res = await asOperator(ADD_MEMBER, {
      input: { organizationId: town.schoolId, email: uniqueEmail('stranger'), role: 'STAFF' },
    });
    expect(errorCodes(res)).toEqual(['NOT_FOUND']);
  });

  it('can be added by an ADMIN of the organization, who then sees their email', async () => {
    const admin = await addMember(t, operator, await signUp(t, 'school-admin'), town.schoolId, 'ADMIN');
    const newcomer = await signUp(t, 'newcomer');
    const res = await t.gql<{ addMember: { user: { email: string } } }>(
      ADD_MEMBER,
      { input: { organizationId: town.schoolId, email: newcomer.email, role: 'STAFF' } },
      { token: admin.token },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.addMember.user.email).toBe(newcomer.email);
  });
});

describe('the signed-in user', () => {
  it('is null for anonymous callers', async () => {
    const res = await t.gql(ME);
    expect(res).toMatchObject({ data: { me: null } });
    expect(res.errors).toBeUndefined();
  });

  it('sees their own account, roles and memberships', async () => {
    const user = await signUp(t, 'myself');
    const res = await t.gql(ME, {}, { token: user.token });
    expect(res.data).toEqual({
      me: { id: user.id, email: user.email, displayName: 'myself', roles: [], memberships: [] },
    });
  });
});

describe('operators', () => {
  it('make other users operators, who get the role with their next token', async () => {
    const user = await signUp(t, 'new-operator');
    const res = await asOperator<{ grantOperator: unknown }>(GRANT_OPERATOR, { userId: user.id });
    expect(res.data?.grantOperator).toEqual({ id: user.id, roles: ['OPERATOR'] });
    // Granting twice changes nothing.
    expect((await asOperator(GRANT_OPERATOR, { userId: user.id })).data).toEqual(res.data);
    const next = await refreshed(t, user);
    expect(decodeJwt(next.token).roles).toEqual(['OPERATOR']);
  });

  it('cannot grant the role to someone who does not exist', async () => {
    expect(errorCodes(await asOperator(GRANT_OPERATOR, { userId: 'nobody' }))).toEqual(['NOT_FOUND']);
  });
});

describe('a user seen from another subgraph (_entities)', () => {
  const entity = (id: string, token?: string) =>
    t.gql<{ _entities: Array<{ id: string; email: string } | null> }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email } } }',
      { r: [{ __typename: 'User', id }] },
      { token },
    );

  it('shows the email to the user and to operators', async () => {
    const user = await signUp(t, 'entity');
    expect(dataOf(await entity(user.id, user.token))._entities).toEqual([{ id: user.id, email: user.email }]);
    expect(dataOf(await entity(user.id, operator))._entities).toEqual([{ id: user.id, email: user.email }]);
  });

  it('hides the email from anonymous callers and from other users', async () => {
    const user = await signUp(t, 'hidden');
    const other = await signUp(t, 'curious');
    expect(errorCodes(await entity(user.id))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await entity(user.id, other.token))).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(await entity(user.id, other.token))).not.toContain(user.email);
  });

  it('resolves to null for an id that is not a user', async () => {
    expect(dataOf(await entity('not-a-user', operator))._entities).toEqual([null]);
  });
});
