import { errorCodes } from '@mentoring/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  createTown,
  OPERATOR,
  operatorToken,
  type SignedIn,
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
  LOG_IN,
  ME,
  ORGANIZATIONS,
  REFRESH_TOKEN,
  SIGN_UP,
} from './operations';

/**
 * Who may run each identity operation. "allowed" means an answer without
 * errors; otherwise the error code the caller gets.
 */
type Persona = 'anonymous' | 'beneficiary' | 'orgStaff' | 'orgAdmin' | 'operator';
type Outcome = 'allowed' | 'UNAUTHENTICATED' | 'FORBIDDEN';

const everyone = {
  anonymous: 'allowed',
  beneficiary: 'allowed',
  orgStaff: 'allowed',
  orgAdmin: 'allowed',
  operator: 'allowed',
} as const;
const operatorsOnly = {
  anonymous: 'UNAUTHENTICATED',
  beneficiary: 'FORBIDDEN',
  orgStaff: 'FORBIDDEN',
  orgAdmin: 'FORBIDDEN',
  operator: 'allowed',
} as const;

const MATRIX: Record<string, Record<Persona, Outcome>> = {
  SignUp: everyone,
  LogIn: everyone,
  RefreshToken: everyone,
  Me: everyone,
  Organizations: everyone,
  CreateCommunity: operatorsOnly,
  CreateOrganization: operatorsOnly,
  GrantOperator: operatorsOnly,
  AddMember: {
    anonymous: 'UNAUTHENTICATED',
    beneficiary: 'FORBIDDEN',
    orgStaff: 'FORBIDDEN',
    orgAdmin: 'allowed',
    operator: 'allowed',
  },
};

let t: TestIdentity;
let town: Awaited<ReturnType<typeof createTown>>;
const tokens = {} as Record<Persona, string | undefined>;

/** Each operation as the frontend sends it, with fresh variables for every call. */
const operations: Record<keyof typeof MATRIX, () => Promise<[string, Record<string, unknown>]>> = {
  SignUp: async () => [
    SIGN_UP,
    { input: { email: uniqueEmail(), password: 'long enough pw', displayName: 'N' } },
  ],
  LogIn: async () => [LOG_IN, OPERATOR],
  RefreshToken: async () => [REFRESH_TOKEN, { refreshToken: (await signUp(t)).refreshToken }],
  Me: async () => [ME, {}],
  Organizations: async () => [ORGANIZATIONS, { communityId: town.communityId }],
  CreateCommunity: async () => [CREATE_COMMUNITY, { input: { name: 'Town', slug: uniqueSlug() } }],
  CreateOrganization: async () => [
    CREATE_ORGANIZATION,
    { input: { communityId: town.communityId, name: 'Org', kind: 'SPONSOR' } },
  ],
  GrantOperator: async () => [GRANT_OPERATOR, { userId: (await signUp(t)).id }],
  AddMember: async () => [
    ADD_MEMBER,
    { input: { organizationId: town.schoolId, email: (await signUp(t)).email, role: 'STAFF' } },
  ],
};

beforeAll(async () => {
  t = await startIdentity();
  const operator = await operatorToken(t);
  town = await createTown(t, operator);
  const staff: SignedIn = await addMember(t, operator, await signUp(t, 'staff'), town.schoolId, 'STAFF');
  const admin: SignedIn = await addMember(t, operator, await signUp(t, 'admin'), town.schoolId, 'ADMIN');
  tokens.anonymous = undefined;
  tokens.beneficiary = (await signUp(t, 'beneficiary')).token;
  tokens.orgStaff = staff.token;
  tokens.orgAdmin = admin.token;
  tokens.operator = operator;
});

describe('authorization of every identity operation', () => {
  const cases = Object.entries(MATRIX).flatMap(([operation, outcomes]) =>
    Object.entries(outcomes).map(([persona, outcome]) => ({
      operation,
      persona: persona as Persona,
      outcome,
    })),
  );

  it.each(cases)('$operation as $persona: $outcome', async ({ operation, persona, outcome }) => {
    const [query, variables] = await operations[operation]!();
    const res = await t.gql(query, variables, { token: tokens[persona] });
    if (outcome === 'allowed') {
      expect(res.errors).toBeUndefined();
      expect(res.data).toBeTruthy();
    } else {
      expect(errorCodes(res)).toEqual([outcome]);
    }
  });

  it('lets an organization ADMIN add members only to their own organization', async () => {
    const res = await t.gql(
      ADD_MEMBER,
      { input: { organizationId: town.providerId, email: (await signUp(t)).email, role: 'STAFF' } },
      { token: tokens.orgAdmin },
    );
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
  });
});
