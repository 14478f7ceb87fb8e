import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { OpsContext } from '../src/context';
import { createOutput } from '../src/output';
import { runProgram } from '../src/program';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run ops -- …` as a child process, as an operator would. */
export function runCli(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'ops/src/cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** The same program in this process (no tsx start-up), output captured. */
export async function runInProcess(args: string[], env: Record<string, string>): Promise<CliResult> {
  const printed = { stdout: '', stderr: '' };
  const code = await runProgram(args, {
    env,
    stdout: { write: (chunk: string) => (printed.stdout += chunk) },
    stderr: { write: (chunk: string) => (printed.stderr += chunk) },
    stdin: new PassThrough(),
  });
  return { code, ...printed };
}

/** A fresh folder for session files and exports. */
export const tempDir = () => mkdtempSync(join(tmpdir(), 'mentoring-ops-'));

/** A context for calling command functions directly, with everything they print captured. */
export function testContext(overrides: Partial<OpsContext> = {}) {
  const printed = { stdout: '', stderr: '' };
  const out = createOutput(
    { write: (chunk: string) => (printed.stdout += chunk) },
    { write: (chunk: string) => (printed.stderr += chunk) },
  );
  const ctx: OpsContext = {
    gatewayUrl: 'http://127.0.0.1:1/graphql',
    configPath: join(tempDir(), 'ops.json'),
    redisUrl: 'redis://127.0.0.1:6379',
    redisPrefix: 'unused',
    json: false,
    out,
    stdin: new PassThrough(),
    pollIntervalMs: 10,
    ...overrides,
  };
  return { ctx, printed };
}
