import type { Viewer } from '@mentoring/subgraph-kit';
import { createTokenVerifier, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@mentoring/subgraph-kit';
import { exportJWK, generateKeyPair, type JSONWebKeySet, SignJWT } from 'jose';

/**
 * An ES256 key pair standing in for identity's, so a subgraph can be tested
 * alone with real signed tokens: pass `verifyToken` to the subgraph and sign
 * tokens for any viewer.
 */
export async function createTestTokens() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test', alg: 'ES256', use: 'sig' };
  const jwks: JSONWebKeySet = { keys: [jwk] };
  return {
    jwks,
    verifyToken: createTokenVerifier({ jwks }),
    async tokenFor(viewer: Partial<Viewer> & { userId: string }, expiresIn = '15m'): Promise<string> {
      return new SignJWT({
        roles: viewer.roles ?? [],
        mem: (viewer.memberships ?? []).map((m) => [m.organizationId, m.role, m.kind]),
      })
        .setProtectedHeader({ alg: 'ES256', kid: 'test' })
        .setSubject(viewer.userId)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(privateKey);
    },
  };
}
