import { baseEnv, port } from '@mentoring/subgraph-kit';
import { z } from 'zod';

export const fundsEnv = baseEnv.extend({
  PORT: port(4002),
  /** Shared by services to sign internal calls (≥ 32 characters); required in production. */
  SERVICE_TOKEN_SECRET: z.string().min(32).optional(),
  /** Identity's public keys, to verify access tokens. */
  JWKS_URL: z.url().default('http://127.0.0.1:4001/.well-known/jwks.json'),
});
export type FundsEnv = z.infer<typeof fundsEnv>;
