import { baseEnv, port } from '@mentoring/subgraph-kit';
import { z } from 'zod';

export const dashboardEnv = baseEnv.extend({
  PORT: port(4006),
  /** The gateway's GraphQL endpoint, where the login form signs operators in. */
  GATEWAY_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4000/graphql'),
  /** Identity's public keys, to verify access tokens. */
  JWKS_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4001/.well-known/jwks.json'),
  /** `1`: the session cookie is `Secure` (serve behind HTTPS); default in production. */
  DASHBOARD_SECURE_COOKIE: z.enum(['0', '1']).optional(),
});
