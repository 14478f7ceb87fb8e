import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { forbidden, unauthenticated } from './errors';

export type OrganizationKind = 'SPONSOR' | 'SCHOOL' | 'SOCIAL_AGENCY' | 'PROVIDER';
export type MemberRole = 'ADMIN' | 'STAFF';

export interface Membership {
  organizationId: string;
  role: MemberRole;
  kind: OrganizationKind;
}

/** The signed-in user, as the access token describes them. */
export interface Viewer {
  userId: string;
  roles: string[];
  memberships: Membership[];
}

export const TOKEN_ISSUER = 'mentoring-identity';
export const TOKEN_AUDIENCE = 'mentoring';

/** Access-token claims: `roles`, and memberships as compact `[orgId, role, kind]` triples. */
export interface AccessClaims extends JWTPayload {
  roles: string[];
  mem: Array<[string, MemberRole, OrganizationKind]>;
}

export function viewerFromClaims(claims: JWTPayload): Viewer {
  const { sub, roles, mem } = claims as Partial<AccessClaims>;
  if (typeof sub !== 'string' || !Array.isArray(roles) || !Array.isArray(mem))
    throw unauthenticated('Invalid token.');
  return {
    userId: sub,
    roles: roles.filter((r): r is string => typeof r === 'string'),
    memberships: mem.map(([organizationId, role, kind]) => ({ organizationId, role, kind })),
  };
}

export type TokenVerifier = (token: string) => Promise<Viewer>;

/**
 * Verifies ES256 access tokens against identity's public keys: fetched from
 * `jwksUrl` (cached, refetched on an unknown key id) or given directly.
 */
export function createTokenVerifier(source: { jwksUrl: string } | { jwks: JSONWebKeySet }): TokenVerifier {
  const keys =
    'jwksUrl' in source
      ? createRemoteJWKSet(new URL(source.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 })
      : createLocalJWKSet(source.jwks);
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: ['ES256'],
      });
      return viewerFromClaims(payload);
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_JWT_EXPIRED')
        throw unauthenticated('Your session has expired.');
      throw unauthenticated('Invalid token.');
    }
  };
}

/** Reads `Authorization: Bearer …`; no header means anonymous, a bad token is refused. */
export async function viewerFromHeader(
  header: string | undefined,
  verify: TokenVerifier | undefined,
): Promise<Viewer | null> {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match || !verify) throw unauthenticated('Invalid token.');
  return verify(match[1]!);
}

// ---------------------------------------------------------------- checks

export function requireUser(viewer: Viewer | null): Viewer {
  if (!viewer) throw unauthenticated();
  return viewer;
}

export const isOperator = (viewer: Viewer | null) => viewer?.roles.includes('OPERATOR') ?? false;

export function requireOperator(viewer: Viewer | null): Viewer {
  const user = requireUser(viewer);
  if (!isOperator(user)) throw forbidden('Only operators can do this.');
  return user;
}

export function membershipOf(viewer: Viewer | null, organizationId: string): Membership | undefined {
  return viewer?.memberships.find((m) => m.organizationId === organizationId);
}

/** True when the viewer belongs to the organization with one of `roles` (any role when omitted). */
export function isMember(viewer: Viewer | null, organizationId: string, roles?: MemberRole[]): boolean {
  const membership = membershipOf(viewer, organizationId);
  return !!membership && (!roles || roles.includes(membership.role));
}

/** Members of the organization (with one of `roles`) pass; so do operators, unless `operators: false`. */
export function requireMember(
  viewer: Viewer | null,
  organizationId: string,
  roles?: MemberRole[],
  { operators = true } = {},
): Viewer {
  const user = requireUser(viewer);
  if (operators && isOperator(user)) return user;
  if (!isMember(user, organizationId, roles)) throw forbidden('You are not a member of this organization.');
  return user;
}

// -------------------------------------------------------- service tokens

const SERVICE_AUDIENCE_PREFIX = 'mentoring-internal:';

/**
 * Short-lived service tokens for the internal API: HS256 with a secret only
 * services share, addressed to one service. User tokens (ES256) never pass.
 */
export function createServiceTokens(secret: string, self: string) {
  if (secret.length < 32) throw new Error('SERVICE_TOKEN_SECRET must be at least 32 characters');
  const key = new TextEncoder().encode(secret);
  const cache = new Map<string, { token: string; until: number }>();
  return {
    async sign(target: string): Promise<string> {
      const cached = cache.get(target);
      if (cached && cached.until > Date.now()) return cached.token;
      const token = await new SignJWT({ typ: 'service' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(self)
        .setAudience(SERVICE_AUDIENCE_PREFIX + target)
        .setIssuedAt()
        .setExpirationTime('60s')
        .sign(key);
      cache.set(target, { token, until: Date.now() + 30_000 });
      return token;
    },
    /** Returns the calling service's name, or throws. */
    async verify(token: string): Promise<string> {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        audience: SERVICE_AUDIENCE_PREFIX + self,
      });
      if (payload.typ !== 'service' || typeof payload.iss !== 'string')
        throw new Error('not a service token');
      return payload.iss;
    },
  };
}
export type ServiceTokens = ReturnType<typeof createServiceTokens>;
