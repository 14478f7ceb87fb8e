import { baseEnv, port } from '@mentoring/subgraph-kit';
import { z } from 'zod';

export const sportEnv = baseEnv
  .extend({
    PORT: port(4010),
    /** Shared by services to sign internal calls (here: sport asking catalog); optional in development. */
    SERVICE_TOKEN_SECRET: z.string().min(32).optional(),
    /** Catalog's base URL (its internal API tells who provides an offering; a `/graphql` path is ignored). */
    CATALOG_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4003'),
    /** Identity's base URL, for its public keys. */
    IDENTITY_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4001'),
    /** Identity's public keys; defaults to `<IDENTITY_URL origin>/.well-known/jwks.json`. */
    JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.SERVICE_TOKEN_SECRET, {
    message: 'SERVICE_TOKEN_SECRET must be set in production',
    path: ['SERVICE_TOKEN_SECRET'],
  });

export type SportEnv = z.infer<typeof sportEnv>;
