import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MIN_LENGTH = 32;

/**
 * A secret from the environment variable `variable`, or in development the
 * file `<DATA_DIR>/<file>`, created once (exclusively, so processes starting
 * together agree on one value) and kept across restarts. Production requires
 * the variable.
 */
export async function secretFromEnvOrDataDir(
  variable: string,
  file: string,
  env: { NODE_ENV: string; DATA_DIR: string } & Record<string, unknown>,
): Promise<string> {
  const given = env[variable];
  if (typeof given === 'string' && given.length > 0) return given;
  if (env.NODE_ENV === 'production') throw new Error(`${variable} must be set in production.`);
  const path = join(env.DATA_DIR, file);
  mkdirSync(env.DATA_DIR, { recursive: true });
  try {
    writeFileSync(path, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
  // Another process may have created the file a moment ago and still be writing it.
  for (let attempt = 0; ; attempt++) {
    const secret = readFileSync(path, 'utf8').trim();
    if (secret.length >= MIN_LENGTH) return secret;
    if (attempt >= 20) throw new Error(`${path} holds a secret shorter than ${MIN_LENGTH} characters.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The secret services sign internal calls with (`SERVICE_TOKEN_SECRET`). */
export const serviceTokenSecret = (env: {
  SERVICE_TOKEN_SECRET?: string | undefined;
  NODE_ENV: string;
  DATA_DIR: string;
}) => secretFromEnvOrDataDir('SERVICE_TOKEN_SECRET', 'service-token-secret', env);
