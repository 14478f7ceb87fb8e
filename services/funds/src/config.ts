import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, port } from '@mentoring/subgraph-kit';
import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/ });

export const fundsEnv = baseEnv.extend({
  PORT: port(4002),
  /** Shared by services to sign internal calls (≥ 32 characters); required in production. */
  SERVICE_TOKEN_SECRET: z.string().min(32).optional(),
  /** Identity's public keys, to verify access tokens. */
  JWKS_URL: z.url().default('http://127.0.0.1:4001/.well-known/jwks.json'),
  /** Identity's base URL (its internal API: beneficiaries, holders). */
  IDENTITY_URL: httpUrl.default('http://127.0.0.1:4001'),
  /** Hashes and seals claim codes (≥ 32 characters); required in production. Changing it voids issued codes. */
  CLAIM_CODE_KEY: z.string().min(32).optional(),
  /** How often the grant expiry job runs. */
  GRANT_EXPIRY_EVERY_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(10 * 60_000),
});
export type FundsEnv = z.infer<typeof fundsEnv>;

/**
 * CLAIM_CODE_KEY, or in development `<DATA_DIR>/claim-code-key`, created once
 * (exclusively, like the service secret) so restarts keep issued codes valid.
 */
export async function claimCodeKey(env: Pick<FundsEnv, 'CLAIM_CODE_KEY' | 'NODE_ENV' | 'DATA_DIR'>) {
  if (env.CLAIM_CODE_KEY) return env.CLAIM_CODE_KEY;
  if (env.NODE_ENV === 'production') throw new Error('CLAIM_CODE_KEY must be set in production.');
  const file = join(env.DATA_DIR, 'claim-code-key');
  mkdirSync(env.DATA_DIR, { recursive: true });
  try {
    writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
  for (let attempt = 0; ; attempt++) {
    const key = readFileSync(file, 'utf8').trim();
    if (key.length >= 32) return key;
    if (attempt >= 20) throw new Error(`${file} holds a key shorter than 32 characters.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
