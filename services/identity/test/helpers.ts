import { randomBytes, randomUUID } from 'node:crypto';
import { createInternalClient, type InternalClient } from '@mentoring/internal-api';
import { createServiceTokens } from '@mentoring/subgraph-kit';
import { createTestDatabase, graphqlClient, testRedis } from '@mentoring/testing';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterAll } from 'vitest';
import { createIdentity, type Identity, type IdentityOptions } from '../src/app';
import { SIGN_UP } from './operations';

export const OPERATOR = { email: 'ops@mentoring.test', password: 'operator-password-1' };

/** A fresh private ES256 JWK, as JWT_PRIVATE_KEY would hold. */
export async function newJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return exportJWK(privateKey);
}

export interface TestIdentity {
  identity: Identity;
  url: string;
  databaseUrl: string;
  jwk: JWK;
  serviceTokenSecret: string;
  gql: ReturnType<typeof graphqlClient>;
  /** The internal API as another service (funds) calls it. */
  internal: InternalClient;
}

/**
 * Starts identity on a fresh database and Redis prefix, with a known signing
 * key, service-token secret and operator; closed after the file's tests.
 */
export async function startIdentity(
  overrides: Partial<IdentityOptions> & { databaseUrl?: string } = {},
): Promise<TestIdentity> {
  const { redisUrl, prefix } = testRedis('identity');
  const databaseUrl = overrides.databaseUrl ?? (await createTestDatabase('identity'));
  const jwk = (overrides.jwtKey as JWK | undefined) ?? (await newJwk());
  const serviceTokenSecret = overrides.serviceTokenSecret ?? randomBytes(32).toString('hex');
  const identity = await createIdentity({
    operator: OPERATOR,
    ...overrides,
    exactDatabaseUrl: databaseUrl,
    redisUrl,
    redisPrefix: prefix,
    jwtKey: jwk,
    serviceTokenSecret,
  });
  afterAll(() => identity.close());
  const url = await identity.listen({ port: 0 });
  return {
    identity,
    url,
    databaseUrl,
    jwk,
    serviceTokenSecret,
    gql: graphqlClient(`${url}/graphql`),
    internal: createInternalClient({
      tokens: createServiceTokens(serviceTokenSecret, 'funds'),
      urls: { identity: url },
    }),
  };
}

export const uniqueEmail = (label = 'user') => `${label}-${randomUUID().slice(0, 8)}@example.test`;
export const uniqueSlug = (label = 'town') => `${label}-${randomUUID().slice(0, 8)}`;

export interface SignedIn {
  id: string;
  email: string;
  token: string;
  refreshToken: string;
}

/** Signs up a new user and returns their tokens. */
export async function signUp(
  t: TestIdentity,
  label = 'user',
  password = 'correct horse battery',
): Promise<SignedIn> {
  const email = uniqueEmail(label);
  const res = await t.gql<{ signUp: { token: string; refreshToken: string; user: { id: string } } }>(
    SIGN_UP,
    {
      input: { email, password, displayName: label },
    },
  );
  if (!res.data) throw new Error(`sign-up failed: ${JSON.stringify(res.errors)}`);
  return { id: res.data.signUp.user.id, email, ...res.data.signUp };
}

/** Exchanges a refresh token (e.g. to pick up new memberships or roles). */
export async function refreshed(t: TestIdentity, user: SignedIn): Promise<SignedIn> {
  const res = await t.gql<{ refreshToken: { token: string; refreshToken: string } }>(
    'mutation ($r: String!) { refreshToken(refreshToken: $r) { token refreshToken } }',
    { r: user.refreshToken },
  );
  if (!res.data) throw new Error(`refresh failed: ${JSON.stringify(res.errors)}`);
  return { ...user, ...res.data.refreshToken };
}

/** Logs the environment's operator in. */
export async function operatorToken(t: TestIdentity): Promise<string> {
  const res = await t.gql<{ logIn: { token: string } }>(
    'mutation ($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }',
    { e: OPERATOR.email, p: OPERATOR.password },
  );
  if (!res.data) throw new Error(`operator login failed: ${JSON.stringify(res.errors)}`);
  return res.data.logIn.token;
}

/** Throws with the errors when a GraphQL answer has none of the data. */
export function dataOf<D>(res: { data?: D | null; errors?: unknown }): D {
  if (!res.data || res.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
  return res.data;
}

/** A community with a referrer (school), a provider and a sponsor, created by the operator. */
export async function createTown(t: TestIdentity, operator: string) {
  const community = dataOf(
    await t.gql<{ createCommunity: { id: string } }>(
      'mutation ($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }',
      { input: { name: 'Vigevano', slug: uniqueSlug('vigevano') } },
      { token: operator },
    ),
  ).createCommunity;
  const organization = async (name: string, kind: string, extra: Record<string, string> = {}) =>
    dataOf(
      await t.gql<{ createOrganization: { id: string } }>(
        'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
        { input: { communityId: community.id, name, kind, ...extra } },
        { token: operator },
      ),
    ).createOrganization.id;
  return {
    communityId: community.id,
    schoolId: await organization('Liceo Cairoli', 'SCHOOL', {
      taxCode: '80005390188',
      email: 'segreteria@cairoli.test',
    }),
    providerId: await organization('Istituto Musicale Costa', 'PROVIDER', {
      iban: 'IT60 X054 2811 1010 0000 0123 456',
    }),
    sponsorId: await organization('Fondazione Vigevano', 'SPONSOR'),
  };
}

/** Makes `user` a member of the organization (as the operator) and returns them with a fresh token. */
export async function addMember(
  t: TestIdentity,
  operator: string,
  user: SignedIn,
  organizationId: string,
  role: 'ADMIN' | 'STAFF',
): Promise<SignedIn> {
  dataOf(
    await t.gql(
      'mutation ($input: AddMemberInput!) { addMember(input: $input) { role } }',
      { input: { organizationId, email: user.email, role } },
      { token: operator },
    ),
  );
  return refreshed(t, user);
}
