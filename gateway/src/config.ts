import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root, found from this file (src/ or dist/) so the gateway can start from any directory. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const DEFAULT_SUPERGRAPH_PATH = resolve(REPO_ROOT, 'infra/supergraph/supergraph.graphql');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const envSchema = z.object({
  NODE_ENV: z.string().min(1).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  SUPERGRAPH_PATH: z.string().min(1).default(DEFAULT_SUPERGRAPH_PATH),
  SUBGRAPH_TIMEOUT_MS: positiveInt(10_000),
  SUBGRAPH_MAX_SOCKETS: positiveInt(50),
  JWKS_URL: z.url().default('http://127.0.0.1:4001/.well-known/jwks.json'),
});

export interface GatewayConfig {
  nodeEnv: string;
  /** NODE_ENV=production: no introspection, no hot reload, no field suggestions. */
  production: boolean;
  host: string;
  port: number;
  logLevel: (typeof LOG_LEVELS)[number];
  supergraphPath: string;
  subgraphTimeoutMs: number;
  subgraphMaxSockets: number;
  /** Identity's public keys, to verify access tokens at the edge. */
  jwksUrl: string;
  /** Subgraph URL overrides from `<NAME>_URL` variables, keyed by the upper-cased subgraph name. */
  subgraphUrls: Record<string, string>;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** `IDENTITY_URL` for the subgraph `identity`; any character outside [A-Z0-9] becomes `_`. */
export function subgraphUrlVariable(subgraphName: string): string {
  return `${subgraphName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;
}

/**
 * Every `<NAME>_URL` variable whose value is an http(s) URL, keyed by NAME.
 * Other `*_URL` variables (DATABASE_URL=postgres://…) are not subgraphs and are ignored;
 * an http-looking one that does not parse is reported.
 */
function subgraphUrlsFrom(env: NodeJS.ProcessEnv, problems: string[]): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^([A-Z][A-Z0-9_]*)_URL$/.exec(key);
    if (!match?.[1] || match[1] === 'JWKS' || !value || !/^https?:/i.test(value)) continue;
    if (!URL.canParse(value)) {
      problems.push(`${key}: not a valid URL (${JSON.stringify(value)})`);
      continue;
    }
    urls[match[1]] = value;
  }
  return urls;
}

/** Reads and validates the gateway's environment; throws a ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const problems: string[] = [];
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.');
      problems.push(`${key}: ${issue.message} (got ${JSON.stringify(env[key] ?? null)})`);
    }
  }
  const subgraphUrls = subgraphUrlsFrom(env, problems);
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError(`invalid gateway environment:\n  - ${problems.join('\n  - ')}`);
  }
  const e = parsed.data;
  return {
    nodeEnv: e.NODE_ENV,
    production: e.NODE_ENV === 'production',
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    // A relative SUPERGRAPH_PATH is relative to the repository root, like the default.
    supergraphPath: isAbsolute(e.SUPERGRAPH_PATH) ? e.SUPERGRAPH_PATH : resolve(REPO_ROOT, e.SUPERGRAPH_PATH),
    subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    subgraphMaxSockets: e.SUBGRAPH_MAX_SOCKETS,
    jwksUrl: e.JWKS_URL,
    subgraphUrls,
  };
}
