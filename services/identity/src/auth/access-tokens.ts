import {
  type AccessClaims,
  type MemberRole,
  type OrganizationKind,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
} from '@mentoring/subgraph-kit';
import { SignJWT } from 'jose';
import type { SigningKey } from './keys';

/** What an access token says about its user. */
export interface TokenSubject {
  userId: string;
  roles: string[];
  memberships: Array<{ organizationId: string; role: MemberRole; kind: OrganizationKind }>;
}

/** Signs ES256 access tokens with the claims `viewerFromClaims` reads. `ttl` like `15m`. */
export function createAccessTokenSigner(key: SigningKey, ttl: string) {
  return (subject: TokenSubject): Promise<string> => {
    const claims: Pick<AccessClaims, 'roles' | 'mem'> = {
      roles: subject.roles,
      mem: subject.memberships.map((m) => [m.organizationId, m.role, m.kind]),
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
      .setSubject(subject.userId)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(ttl)
      .sign(key.privateKey);
  };
}
export type AccessTokenSigner = ReturnType<typeof createAccessTokenSigner>;
