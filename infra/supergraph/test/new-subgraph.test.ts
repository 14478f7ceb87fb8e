import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Subgraph } from '@mentoring/subgraph-kit';
import { createTestDatabase, graphqlClient, testRedis } from '@mentoring/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Generated, generateSubgraph, nextSteps, validateName } from '../../../scripts/new-subgraph';
import { composeSupergraph, readSubgraphs } from '../compose-lib';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// Inside the repository, so the generated code resolves our workspace packages as a real one would.
const name = `tmp-gen-${randomBytes(3).toString('hex')}`;
let generated: Generated;

beforeAll(async () => {
  generated = await generateSubgraph({ name, dir: 'examples' });
});
afterAll(() => rm(join(root, 'examples', name), { recursive: true, force: true }));

describe('npm run new:subgraph', () => {
  it('creates a subgraph folder laid out like ours, with its own test and README', () => {
    expect(generated.folder).toBe(`examples/${name}`);
    expect(generated.service).toBe(name.replace(/-/g, '_'));
    expect(generated.files).toEqual(
      expect.arrayContaining([
        'package.json',
        'tsconfig.json',
        'README.md',
        'src/schema.graphql',
        'src/app.ts',
        'src/main.ts',
        'src/config.ts',
        'src/context.ts',
        'src/resolvers/index.ts',
        'src/resolvers/Query.ts',
        'src/db/schema.ts',
        'src/db/migrations/0001_init.sql',
        `test/${name}.test.ts`,
      ]),
    );
    expect(nextSteps(generated).join('\n')).toContain(`npm run supergraph:check -- ${generated.service}`);
  });

  it("uses catalog's dependency versions", async () => {
    const read = async (path: string) => JSON.parse(await readFile(join(root, path), 'utf8'));
    const catalog = await read('services/catalog/package.json');
    const created = await read(`examples/${name}/package.json`);
    expect(created.name).toBe(`@mentoring/${name}`);
    expect(created.exports).toEqual({ '.': './src/app.ts' });
    for (const dep of ['drizzle-orm', 'graphql', 'zod'])
      expect(created.dependencies[dep]).toBe(catalog.dependencies[dep]);
  });

  it('refuses to overwrite a folder, and names that are not kebab-case', async () => {
    await expect(generateSubgraph({ name, dir: 'examples' })).rejects.toThrow(/already exists/);
    expect(() => validateName('Sport_Clubs')).toThrow(/kebab-case/);
    expect(() => validateName('catalog')).toThrow(/our own/);
  });

  it('composes with the current subgraphs', async () => {
    const ours = await readSubgraphs(join(root, 'infra/supergraph/subgraphs.json'), root);
    const typeDefs = await readFile(join(root, generated.folder, 'src/schema.graphql'), 'utf8');
    const outcome = composeSupergraph([
      ...ours,
      { name: generated.service, url: 'http://new/graphql', typeDefs },
    ]);
    expect(outcome.errors).toBeUndefined();
  });

  it('typechecks under our strict settings', async () => {
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const run = promisify(execFile)(process.execPath, [tsc, '--noEmit', '-p', join(root, generated.folder)]);
    await expect(run).resolves.toBeDefined();
  }, 120_000);

  it('passes its own generated tests', async () => {
    const vitest = join(root, 'node_modules/vitest/vitest.mjs');
    const run = promisify(execFile)(
      process.execPath,
      [vitest, 'run', `${generated.folder}/test/${name}.test.ts`],
      {
        cwd: root,
        env: {
          ...process.env,
          NO_COLOR: '1',
          TEST_DATABASE_URL: inject('postgresUrl'),
          TEST_REDIS_URL: inject('redisUrl'),
        },
      },
    );
    const { stdout } = await run;
    expect(stdout).toMatch(/Tests\s+\d+ passed/);
    expect(stdout).not.toMatch(/failed/);
  }, 180_000);

  it('starts and answers queries on its own database', async () => {
    const module = (await import(join(root, generated.folder, 'src/app.ts'))) as Record<string, unknown>;
    const pascal = name
      .split('-')
      .map((part) => part[0]!.toUpperCase() + part.slice(1))
      .join('');
    const create = module[`create${pascal}`] as (options: object) => Promise<Subgraph>;
    const subgraph = await create({
      exactDatabaseUrl: await createTestDatabase('generated'),
      redisUrl: testRedis('generated').redisUrl,
    });
    try {
      const url = await subgraph.listen({ port: 0 });
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const camel = pascal[0]!.toLowerCase() + pascal.slice(1);
      const res = await graphqlClient(`${url}/graphql`)(`{ ${camel}Items { id } _service { sdl } }`);
      expect(res.errors).toBeUndefined();
      expect(res.data).toMatchObject({ [`${camel}Items`]: [] });
    } finally {
      await subgraph.close();
    }
  });
});
