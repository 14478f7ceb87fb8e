import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs main.ts; `onLine` may return true to send SIGTERM. */
function runMain(
  env: Record<string, string>,
  onLine?: (line: Record<string, unknown>) => boolean,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...process.env, LOG_LEVEL: 'info', NODE_ENV: 'development', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { code: null, stdout: '', stderr: '' };
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      run.stdout += chunk;
      for (const line of chunk.split('\n').filter(Boolean)) {
        try {
          if (onLine?.(JSON.parse(line))) child.kill('SIGTERM');
        } catch {}
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      run.stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      run.code = code;
      resolve(run);
    });
  });
}

// Each test starts a Node process that compiles the gateway with tsx: slow on a busy machine.
describe('main.ts', { timeout: 60_000 }, () => {
  it('starts from the committed supergraph on a free port, then drains and exits 0 on SIGTERM', async () => {
    let url: string | undefined;
    const run = await runMain({ PORT: '0' }, (line) => {
      if (line.msg !== 'gateway ready') return false;
      url = line.url as string;
      return true;
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"msg":"gateway stopped"');
  });

  it('exits 1 with every invalid variable named', async () => {
    const run = await runMain({ PORT: 'eighty', SUBGRAPH_MAX_SOCKETS: '0', IDENTITY_URL: 'http://[oops' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('invalid gateway environment');
    expect(run.stderr).toMatch(/PORT: .*"eighty"/);
    expect(run.stderr).toMatch(/SUBGRAPH_MAX_SOCKETS: /);
    expect(run.stderr).toMatch(/IDENTITY_URL: not a valid URL/);
  });

  it('exits 1 when the supergraph file cannot be loaded', async () => {
    const run = await runMain({ PORT: '0', SUPERGRAPH_PATH: '/nonexistent/supergraph.graphql' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('gateway failed to start');
  });
});
