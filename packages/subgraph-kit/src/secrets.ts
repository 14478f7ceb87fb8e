import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MIN_LENGTH = 32;

/**
 * The secret services sign internal calls with: `SERVICE_TOKEN_SECRET`, or in
 * development `<DATA_DIR>/service-token-secret`, created once (exclusively,
 * so services starting together agree on one value). Production requires the
 * variable.
 */
export async function serviceTokenSecret(env: {
  SERVICE_TOKEN_SECRET?: string | undefined;
  NODE_ENV: string;
  DATA_DIR: string;
}): Promise<string> {
  if (env.SERVICE_TOKEN_SECRET) return env.SERVICE_TOKEN_SECRET;
  if (env.NODE_ENV === 'production') throw new Error('SERVICE_TOKEN_SECRET must be set in production.');
  const file = join(env.DATA_DIR, 'service-token-secret');
  mkdirSync(env.DATA_DIR, { recursive: true });
  try {
    writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
  // Another process may have created the file a moment ago and still be writing it.
  for (let attempt = 0; ; attempt++) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= MIN_LENGTH) return secret;
    if (attempt >= 20) throw new Error(`${file} holds a secret shorter than ${MIN_LENGTH} characters.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
