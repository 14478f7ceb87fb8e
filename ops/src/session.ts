import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { OpsError } from './errors';
import { type GraphQLRequest, gatewayClient } from './graphql';
import { type AuthPayload, REFRESH_TOKEN } from './operations';

/** One signed-in operator per gateway. */
export interface Session {
  email: string;
  token: string;
  refreshToken: string;
}

interface ConfigFile {
  sessions: Record<string, Session>;
}

/** `MENTORING_OPS_CONFIG`, or `~/.config/mentoring/ops.json`. */
export const defaultConfigPath = (env: NodeJS.ProcessEnv) =>
  env.MENTORING_OPS_CONFIG ||
  join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'mentoring', 'ops.json');

async function readConfig(path: string): Promise<ConfigFile> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<ConfigFile>;
    return { sessions: parsed.sessions ?? {} };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { sessions: {} };
    throw new OpsError(`Cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Writes the file readable by its owner only (0600), atomically. */
async function writeConfig(path: string, config: ConfigFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

export async function saveSession(path: string, gatewayUrl: string, session: Session): Promise<void> {
  const config = await readConfig(path);
  config.sessions[gatewayUrl] = session;
  await writeConfig(path, config);
}

export async function loadSession(path: string, gatewayUrl: string): Promise<Session | undefined> {
  return (await readConfig(path)).sessions[gatewayUrl];
}

async function forgetSession(path: string, gatewayUrl: string): Promise<void> {
  const config = await readConfig(path);
  delete config.sessions[gatewayUrl];
  await writeConfig(path, config);
}

/** Seconds since the epoch at which the JWT expires (read, not verified: the API verifies it). */
export function tokenExpiry(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp : 0;
  } catch {
    return 0;
  }
}

const EXPIRY_MARGIN_S = 30;

/**
 * A GraphQL client signed in as the stored operator. An access token that
 * expires within 30 s is first exchanged with `refreshToken` and the new pair
 * stored; a refused refresh forgets the session and asks to log in again.
 */
export async function signedInClient(configPath: string, gatewayUrl: string): Promise<GraphQLRequest> {
  const session = await loadSession(configPath, gatewayUrl);
  if (!session)
    throw new OpsError(
      `Not logged in to ${gatewayUrl}: run \`npm run ops -- login --email <you>\` first.`,
      'UNAUTHENTICATED',
    );
  if (tokenExpiry(session.token) - EXPIRY_MARGIN_S > Date.now() / 1000)
    return gatewayClient(gatewayUrl, session.token);
  let refreshed: AuthPayload;
  try {
    ({ refreshToken: refreshed } = await gatewayClient(gatewayUrl)<{ refreshToken: AuthPayload }>(
      REFRESH_TOKEN,
      { refreshToken: session.refreshToken },
    ));
  } catch (error) {
    if (error instanceof OpsError && error.code === 'UNREACHABLE') throw error;
    await forgetSession(configPath, gatewayUrl);
    throw new OpsError(
      `Your session has ended (${(error as Error).message}): run \`npm run ops -- login --email ${session.email}\` again.`,
      'UNAUTHENTICATED',
    );
  }
  await saveSession(configPath, gatewayUrl, { ...session, ...refreshed });
  return gatewayClient(gatewayUrl, refreshed.token);
}
