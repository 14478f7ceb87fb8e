import { splitGlobals } from './args';
import { ledgerCheck, ledgerUsage } from './commands/ledger';
import { login, loginUsage } from './commands/login';
import { markPayoutPaid, payoutUsage } from './commands/payout';
import { listFailed, queueCounts, queuesUsage, retryFailed } from './commands/queues';
import {
  approveSettlement,
  exportSettlement,
  runSettlement,
  settlementStatus,
  settlementUsage,
} from './commands/settlement';
import { contextFromEnv, type OpsContext } from './context';
import { EXIT, OpsError, UsageError } from './errors';
import { createOutput, type TextSink } from './output';

type Command = (args: string[], ctx: OpsContext) => Promise<number>;

/** Command words → handler; the longest matching prefix of argv wins. */
const COMMANDS: Record<string, Command> = {
  login,
  'settlement run': runSettlement,
  'settlement status': settlementStatus,
  'settlement approve': approveSettlement,
  'settlement export': exportSettlement,
  'payout paid': markPayoutPaid,
  'ledger check': ledgerCheck,
  queues: queueCounts,
  'queues failed': listFailed,
  'queues retry': retryFailed,
};

export const HELP = `Usage: npm run ops -- <command> [options]

${[loginUsage, ...settlementUsage, payoutUsage, ledgerUsage, ...queuesUsage].map((l) => `  ${l}`).join('\n')}

Global options: --gateway URL (or MENTORING_GATEWAY; default http://127.0.0.1:4000/graphql),
  --json (machine output), --help
Environment: MENTORING_OPS_CONFIG (session file, default ~/.config/mentoring/ops.json),
  REDIS_URL, REDIS_PREFIX (queues)
Exit codes: 0 ok, 1 failure (API error, run FAILED, check failed), 2 usage`;

function findCommand(words: string[]): { command: Command; args: string[] } | undefined {
  for (const length of [2, 1]) {
    const command = COMMANDS[words.slice(0, length).join(' ')];
    if (command && words.length >= length) return { command, args: words.slice(length) };
  }
  return undefined;
}

export interface ProgramIo {
  env: NodeJS.ProcessEnv;
  stdout: TextSink;
  stderr: TextSink;
  stdin: OpsContext['stdin'];
}

/** Runs one command line and returns the exit code; never throws. */
export async function runProgram(argv: string[], io: ProgramIo): Promise<number> {
  const out = createOutput(io.stdout, io.stderr);
  try {
    const { globals, rest } = splitGlobals(argv);
    const found = findCommand(rest);
    if (globals.help || rest.length === 0) {
      out.line(HELP);
      return rest.length === 0 && !globals.help ? EXIT.usage : EXIT.ok;
    }
    if (!found) throw new UsageError(`Unknown command: ${rest.join(' ')}`);
    return await found.command(found.args, contextFromEnv(io.env, globals, { out, stdin: io.stdin }));
  } catch (error) {
    out.endProgress();
    if (error instanceof UsageError) {
      out.warn(`${error.message}\nRun \`npm run ops -- --help\` for the commands.`);
      return EXIT.usage;
    }
    if (error instanceof OpsError) {
      out.warn(`Error${error.code ? ` [${error.code}]` : ''}: ${error.message}`);
      return EXIT.failure;
    }
    out.warn(`Error: ${(error as Error).message ?? String(error)}`);
    return EXIT.failure;
  }
}
