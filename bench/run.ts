import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench [name…]`: runs each benchmark folder's `index.ts` (bench/<name>/index.ts)
 * one after the other, each in its own process, or only those named.
 */
const benchDir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(benchDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(benchDir, entry.name, 'index.ts')))
  .map((entry) => entry.name)
  .sort();

const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`no benchmark named ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}

function runOne(name: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(benchDir, name, 'index.ts')], {
      stdio: 'inherit',
      // Services log nothing unless asked: the figures are the output.
      env: { APOLLO_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'silent', ...process.env },
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const failed: string[] = [];
for (const name of requested.length > 0 ? requested : available) {
  console.log(`\n=== bench/${name} ===`);
  if ((await runOne(name)) !== 0) failed.push(name);
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
