import { createTokenVerifier, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@mentoring/subgraph-kit';
import { createTestTokens, errorCodes } from '@mentoring/testing';
import { importJWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SignedIn, signUp, startIdentity, type TestIdentity } from './helpers';
import { ME } from './operations';

let t: TestIdentity;
let user: SignedIn;
beforeAll(async () => {
  t = await startIdentity();
  user = await signUp(t, 'token-holder');
});

/** Signs a token with identity's own key, with whatever claims a test needs. */
async function signWithIdentityKey(claims: Record<string, unknown>, expiresAt: number) {
  const key = await importJWK(t.jwk, 'ES256');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: t.identity.jwks.keys[0]!.kid! })
    .setSubject(user.id)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(expiresAt - 900)
    .setExpirationTime(expiresAt)
    .sign(key);
}

const me = (token: string) => t.gql<{ me: { id: string } | null }>(ME, {}, { token });

describe('identity serves its public keys', () => {
  it('at /.well-known/jwks.json, without the private part', async () => {
    const res = await fetch(`${t.url}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('so another subgraph verifies identity tokens from the URL alone', async () => {
    const verify = createTokenVerifier({ jwksUrl: `${t.url}/.well-known/jwks.json` });
    expect(await verify(user.token)).toEqual({ userId: user.id, roles: [], memberships: [] });
  });
});

describe('identity called directly refuses bad tokens', () => {
  it('accepts its own valid token', async () => {
    expect((await me(user.token)).data?.me?.id).toBe(user.id);
  });

  it('refuses an expired token', async () => {
    const expired = await signWithIdentityKey({ roles: [], mem: [] }, Math.floor(Date.now() / 1000) - 60);
    const res = await me(expired);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.errors?.[0]?.message).toMatch(/Your session has expired\./);
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const [header, payload, signature] = user.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['OPERATOR'] })).toString('base64url');
    expect(errorCodes(await me(`${header}.${forged}.${signature}`))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a well-formed token signed by another key', async () => {
    const foreign = await createTestTokens();
    const token = await foreign.tokenFor({ userId: user.id, roles: ['OPERATOR'] });
    expect(errorCodes(await me(token))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses an unsigned token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ sub: user.id, roles: ['OPERATOR'], mem: [], iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE }),
    ).toString('base64url');
    expect(errorCodes(await me(`${header}.${payload}.`))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a token for another audience', async () => {
    const key = await importJWK(t.jwk, 'ES256');
    const token = await new SignJWT({ roles: [], mem: [] })
      .setProtectedHeader({ alg: 'ES256', kid: t.identity.jwks.keys[0]!.kid! })
      .setSubject(user.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience('someone-else')
      .setExpirationTime('5m')
      .sign(key);
    expect(errorCodes(await me(token))).toEqual(['UNAUTHENTICATED']);
  });
});
