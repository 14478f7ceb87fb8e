// `npm run new:subgraph -- <name> [--dir examples|services] [--port <n>]`: creates a working
// subgraph folder from templates/subgraph/ (see docs/partners.md).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const RESERVED = new Set(['identity', 'funds', 'catalog', 'redemption', 'notifications', 'gateway', 'stack']);

export interface GenerateOptions {
  /** Kebab-case, e.g. `sport-clubs`: the folder, the package `@mentoring/<name>`. */
  name: string;
  /** Parent folder, relative to the repository root (default `examples`). */
  dir?: string;
  port?: number;
  rootDir?: string;
}

export interface Generated {
  /** The new folder, relative to the repository root. */
  folder: string;
  /** The subgraph's name in subgraphs.json and the database service name (`sport_clubs`). */
  service: string;
  files: string[];
}

const pascal = (name: string) =>
  name
    .split('-')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');

/** Throws with a message a person can act on when the name cannot be used. */
export function validateName(name: string): void {
  if (!KEBAB.test(name))
    throw new Error(`"${name}" is not a kebab-case name: lower-case letters and digits, words joined by "-"`);
  if (name.length > 40) throw new Error(`"${name}" is longer than 40 characters`);
  if (RESERVED.has(name)) throw new Error(`"${name}" is one of our own packages`);
}

async function templateFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.tpl'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** The package.json, with the dependency versions catalog (the model subgraph) uses. */
async function packageJson(rootDir: string, name: string): Promise<string> {
  const catalog = JSON.parse(await readFile(join(rootDir, 'services/catalog/package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const pick = (from: Record<string, string>, names: string[]) =>
    Object.fromEntries(names.map((dep) => [dep, from[dep] ?? '*']));
  const manifest = {
    name: `@mentoring/${name}`,
    version: '0.1.0',
    private: true,
    type: 'module',
    exports: { '.': './src/app.ts' },
    scripts: { build: 'node ../../scripts/build-service.mjs', start: 'node dist/main.js' },
    dependencies: pick(catalog.dependencies, [
      '@mentoring/subgraph-kit',
      '@mentoring/db',
      'drizzle-orm',
      'graphql',
      'zod',
    ]),
    devDependencies: pick(catalog.devDependencies, ['@mentoring/testing']),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Writes the new subgraph folder; refuses to touch an existing one. */
export async function generateSubgraph(options: GenerateOptions): Promise<Generated> {
  const rootDir = options.rootDir ?? ROOT;
  validateName(options.name);
  const parent = options.dir ?? 'examples';
  if (!/^[a-z][a-z0-9-]*$/.test(parent))
    throw new Error(`--dir must be a top-level folder such as examples or services`);
  const folder = `${parent}/${options.name}`;
  const target = resolve(rootDir, folder);
  if (existsSync(target)) throw new Error(`${folder} already exists; choose another name or remove it first`);
  const port = options.port ?? 4100;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`--port must be between 1 and 65535`);

  const service = options.name.replace(/-/g, '_');
  const Pascal = pascal(options.name);
  const values: Record<string, string> = {
    name: options.name,
    service,
    Pascal,
    camel: Pascal[0]!.toLowerCase() + Pascal.slice(1),
    port: String(port),
    dir: folder,
  };
  const fill = (text: string) =>
    text.replace(/\{\{(\w+)\}\}/g, (match, key: string) => {
      const value = values[key];
      if (value === undefined) throw new Error(`template placeholder ${match} has no value`);
      return value;
    });

  const templateDir = join(rootDir, 'templates/subgraph');
  const up = relative(target, rootDir);
  const files: Record<string, string> = {
    'package.json': await packageJson(rootDir, options.name),
    // The test kit's global setup declares what its tests `inject` (the servers' URLs).
    'tsconfig.json': `${JSON.stringify(
      {
        extends: `${up}/tsconfig.base.json`,
        include: ['src', 'test', `${up}/packages/testing/src/global-setup.ts`],
      },
      null,
      2,
    )}\n`,
  };
  for (const file of await templateFiles(templateDir)) {
    const path = file.replace(/\.tpl$/, '').replace('__name__', options.name);
    files[path] = fill(await readFile(join(templateDir, file), 'utf8'));
  }
  await mkdir(dirname(target), { recursive: true });
  await mkdir(target); // fails if another run created it meanwhile
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(target, path)), { recursive: true });
    await writeFile(join(target, path), content, { flag: 'wx' });
  }
  // Our formatting, whatever the name's length did to line widths (best effort: skipped without Biome).
  const biome = join(rootDir, 'node_modules/@biomejs/biome/bin/biome');
  if (existsSync(biome))
    spawnSync(process.execPath, [biome, 'format', '--write', target], { cwd: rootDir, stdio: 'ignore' });
  return { folder, service, files: Object.keys(files).sort() };
}

export function nextSteps({ folder, service }: Generated, port = 4100): string[] {
  return [
    `created ${folder}/ (subgraph "${service}"). Next:`,
    '  1. npm install --no-audit --no-fund            # links the new workspace',
    `  2. npx vitest run ${folder}/test               # its tests, on real PostgreSQL and Redis`,
    `  3. add to infra/supergraph/subgraphs.json:`,
    `       { "name": "${service}", "url": "http://127.0.0.1:${port}/graphql", "schema": "${folder}/src/schema.graphql" }`,
    `  4. npm run supergraph:check -- ${service} ${folder}/src/schema.graphql`,
    '  5. npm run compose                              # then commit infra/supergraph/supergraph.graphql',
    '  See docs/partners.md.',
  ];
}

function parseArgs(argv: string[]): GenerateOptions {
  const args = [...argv];
  const option = (flag: string) => {
    const at = args.indexOf(flag);
    if (at < 0) return undefined;
    const [, value] = args.splice(at, 2);
    if (!value) throw new Error(`${flag} needs a value`);
    return value;
  };
  const dir = option('--dir');
  const port = option('--port');
  if (args.length !== 1)
    throw new Error('usage: npm run new:subgraph -- <kebab-name> [--dir examples|services] [--port 4100]');
  return { name: args[0]!, ...(dir ? { dir } : {}), ...(port ? { port: Number(port) } : {}) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const options = parseArgs(process.argv.slice(2));
    const generated = await generateSubgraph(options);
    for (const line of nextSteps(generated, options.port)) console.log(line);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
