import { baseEnv, port } from '@mentoring/subgraph-kit';
import { z } from 'zod';

export const catalogEnv = baseEnv
  .extend({
    PORT: port(4003),
    /** Shared by services to sign internal calls; optional in development (see `serviceTokenSecret`). */
    SERVICE_TOKEN_SECRET: z.string().min(32).optional(),
    /** Identity's base URL (its internal API; a `/graphql` path is ignored). */
    IDENTITY_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4001'),
    /** Identity's public keys; defaults to `<IDENTITY_URL origin>/.well-known/jwks.json`. */
    JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.SERVICE_TOKEN_SECRET, {
    message: 'SERVICE_TOKEN_SECRET must be set in production',
    path: ['SERVICE_TOKEN_SECRET'],
  });

export type CatalogEnv = z.infer<typeof catalogEnv>;
