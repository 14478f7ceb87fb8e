import type { Output } from './output';
import { defaultConfigPath } from './session';

export const DEFAULT_GATEWAY = 'http://127.0.0.1:4000/graphql';

/** What every command gets: where the API, the session file and Redis are, and where to write. */
export interface OpsContext {
  gatewayUrl: string;
  configPath: string;
  redisUrl: string;
  redisPrefix: string;
  /** `--json`: machine output on read commands. */
  json: boolean;
  out: Output;
  /** Where `login` reads a password that is not on the command line. */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  /** How often `settlement run` polls the run (ms). */
  pollIntervalMs: number;
}

export function contextFromEnv(
  env: NodeJS.ProcessEnv,
  globals: { gateway?: string | undefined; json?: boolean | undefined },
  io: Pick<OpsContext, 'out' | 'stdin'>,
): OpsContext {
  return {
    gatewayUrl: globals.gateway ?? env.MENTORING_GATEWAY ?? DEFAULT_GATEWAY,
    configPath: defaultConfigPath(env),
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisPrefix: env.REDIS_PREFIX ?? 'mentoring',
    json: globals.json ?? false,
    pollIntervalMs: 1000,
    ...io,
  };
}
