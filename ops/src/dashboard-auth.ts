import { isOperator, type TokenVerifier, type Viewer } from '@mentoring/subgraph-kit';
import { OpsError } from './errors';
import { gatewayClient } from './graphql';
import { type AuthPayload, LOG_IN, ME } from './operations';
import { tokenExpiry } from './session';

export const SESSION_COOKIE = 'mentoring_ops';

/** The value of one cookie in a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** HttpOnly, SameSite=Strict, living as long as the access token. */
export function sessionCookie(token: string, { secure }: { secure: boolean }): string {
  const maxAge = Math.max(0, tokenExpiry(token) - Math.floor(Date.now() / 1000));
  return [
    `${SESSION_COOKIE}=${encodeURIComponent(token)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAge}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export const clearedCookie = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;

export type Access =
  | { kind: 'anonymous' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'forbidden'; viewer: Viewer }
  | { kind: 'operator'; viewer: Viewer };

/** Who is asking: a Bearer header (scripts) wins over the session cookie (browsers). */
export async function accessOf(
  headers: { authorization?: string | undefined; cookie?: string | undefined },
  verify: TokenVerifier,
): Promise<Access> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  const token = bearer ?? readCookie(headers.cookie, SESSION_COOKIE);
  if (!token) return { kind: 'anonymous' };
  try {
    const viewer = await verify(token);
    return isOperator(viewer) ? { kind: 'operator', viewer } : { kind: 'forbidden', viewer };
  } catch (error) {
    return { kind: 'invalid', reason: (error as Error).message };
  }
}

/** Logs in through the gateway; resolves with the access token of an operator, or rejects with an `OpsError`. */
export async function operatorLogin(gatewayUrl: string, email: string, password: string): Promise<string> {
  const { logIn } = await gatewayClient(gatewayUrl)<{ logIn: AuthPayload }>(LOG_IN, { email, password });
  const { me } = await gatewayClient(gatewayUrl, logIn.token)<{ me: { roles: string[] } | null }>(ME);
  if (!me?.roles.includes('OPERATOR'))
    throw new OpsError('Only operators can open the queue dashboard.', 'FORBIDDEN');
  return logIn.token;
}
