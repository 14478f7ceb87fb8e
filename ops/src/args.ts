import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Strict parsing of one command's options and positionals (names; `name?` is
 * optional); any mistake is a `UsageError` (exit 2).
 */
export function parseCommand<O extends Options>(args: string[], options: O, positionals: string[] = []) {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length > positionals.length)
    throw new UsageError(`Unexpected argument: ${parsed.positionals[positionals.length]}`);
  const missing = positionals.slice(parsed.positionals.length).filter((name) => !name.endsWith('?'));
  if (missing.length > 0) throw new UsageError(`Missing ${missing.map((name) => `<${name}>`).join(' ')}`);
  return parsed;
}

/** The value of a required option, or a `UsageError` naming it. */
export function required(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`Missing --${flag}`);
  return value;
}

export interface GlobalFlags {
  gateway?: string | undefined;
  json: boolean;
  help: boolean;
}

/** Takes `--gateway URL`, `--json` and `--help` out of argv, wherever they appear. */
export function splitGlobals(argv: string[]): { globals: GlobalFlags; rest: string[] } {
  const globals: GlobalFlags = { json: false, help: false };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') globals.json = true;
    else if (arg === '--help' || arg === '-h') globals.help = true;
    else if (arg.startsWith('--gateway=')) globals.gateway = arg.slice('--gateway='.length);
    else if (arg === '--gateway') {
      const value = argv[++i];
      if (!value) throw new UsageError('Missing value for --gateway');
      globals.gateway = value;
    } else rest.push(arg);
  }
  return { globals, rest };
}
