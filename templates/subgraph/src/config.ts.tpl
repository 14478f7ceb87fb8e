import { baseEnv, port } from '@mentoring/subgraph-kit';
import { z } from 'zod';

export const {{camel}}Env = baseEnv.extend({
  PORT: port({{port}}),
  /** Identity's base URL, for its public keys. */
  IDENTITY_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4001'),
  /** Identity's public keys; defaults to `<IDENTITY_URL origin>/.well-known/jwks.json`. */
  JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
});

export type {{Pascal}}Env = z.infer<typeof {{camel}}Env>;
