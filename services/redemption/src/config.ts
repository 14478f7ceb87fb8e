import { baseEnv, port } from '@mentoring/subgraph-kit';
import { z } from 'zod';
import { parseDuration } from './domain/duration';

const httpUrl = z.url({ protocol: /^https?$/ });
const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: 'expected a duration such as 30d, 12h, 15m, 10s or 500ms' });
        return z.NEVER;
      }
      return ms;
    });

export const redemptionEnv = baseEnv
  .extend({
    PORT: port(4004),
    /** Shared by services to sign internal calls; optional in development (see `serviceTokenSecret`). */
    SERVICE_TOKEN_SECRET: z.string().min(32).optional(),
    /** Peers' base URLs (a `/graphql` path is ignored: the origin is used). */
    IDENTITY_URL: httpUrl.default('http://127.0.0.1:4001'),
    FUNDS_URL: httpUrl.default('http://127.0.0.1:4002'),
    CATALOG_URL: httpUrl.default('http://127.0.0.1:4003'),
    /** Identity's public keys; defaults to `<IDENTITY_URL origin>/.well-known/jwks.json`. */
    JWKS_URL: httpUrl.optional(),
    /** How long an authorization waits for validation before it expires. */
    REDEMPTION_AUTH_TTL: duration('30d'),
    /** How often the maintenance jobs (recovery, expiry) run. */
    REDEMPTION_MAINTENANCE_EVERY: duration('30s'),
    /** A redemption (or a step of it) unfinished for this long is finished or compensated by recovery. */
    REDEMPTION_RECOVER_AFTER: duration('60s'),
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.SERVICE_TOKEN_SECRET, {
    message: 'SERVICE_TOKEN_SECRET must be set in production',
    path: ['SERVICE_TOKEN_SECRET'],
  });

export type RedemptionEnv = z.infer<typeof redemptionEnv>;
