import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { apiSchemaOf, checkOperations, checkSubgraph, formatReport, runCheck } from '../check-lib';
import { composeSupergraph, type SubgraphSource } from '../compose-lib';

// A small graph of two subgraphs standing in for ours, so each case changes one thing.
const FEDERATION = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';
const identity = `${FEDERATION}
  type Organization @key(fields: "id") { id: ID! name: String! }
  type Query { organization(id: ID!): Organization }
`;
const catalog = (
  offering = 'title: String! priceCents: Int!',
  query = 'offerings(first: Int): [Offering!]!',
) =>
  `${FEDERATION}
  enum OfferingStatus { DRAFT PUBLISHED }
  type Offering @key(fields: "id") { id: ID! ${offering} status: OfferingStatus! provider: Organization! }
  type Organization @key(fields: "id") { id: ID! }
  type Query { ${query} }
`;
const current: SubgraphSource[] = [
  { name: 'identity', url: 'http://identity/graphql', typeDefs: identity },
  { name: 'catalog', url: 'http://catalog/graphql', typeDefs: catalog() },
];
const committed = composeSupergraph(current);
if (committed.errors) throw new Error(JSON.stringify(committed.errors));
const committedSupergraphSdl = committed.supergraphSdl;
const operations = `
  # The contract
  query Offerings { offerings(first: 5) { id title priceCents provider { name } } }
`;

const check = (name: string, typeDefs: string) =>
  checkSubgraph({ current, candidate: { name, typeDefs }, committedSupergraphSdl, operations });

describe('checking a candidate subgraph schema', () => {
  it('passes an additive change: a new optional field and a new query', () => {
    const report = check(
      'catalog',
      catalog(
        'title: String! priceCents: Int! subtitle: String',
        'offerings(first: Int): [Offering!]! offering(id: ID!): Offering',
      ),
    );
    expect(report).toMatchObject({ ok: true, replaces: true, composition: [], breaking: [], operations: [] });
    expect(formatReport(report).at(-1)).toBe('  result: OK');
  });

  it('catches a removed field, both as a breaking change and in the contract operations', () => {
    const report = check('catalog', catalog('title: String!'));
    expect(report.ok).toBe(false);
    expect(report.breaking.map((change) => [change.type, change.description])).toEqual([
      ['FIELD_REMOVED', 'Offering.priceCents was removed.'],
    ]);
    expect(report.operations).toEqual([
      { operation: 'Offerings', message: 'Cannot query field "priceCents" on type "Offering".' },
    ]);
    expect(formatReport(report).join('\n')).toContain('FIELD_REMOVED: Offering.priceCents was removed.');
  });

  it('catches a field whose type changed', () => {
    const report = check('catalog', catalog('title: String! priceCents: String!'));
    expect(report.ok).toBe(false);
    expect(report.breaking.map((change) => change.type)).toEqual(['FIELD_CHANGED_KIND']);
    expect(report.breaking[0]?.description).toMatch(/Offering\.priceCents changed type from Int! to String!/);
  });

  it('catches an argument made required and an enum value removed', () => {
    const report = check(
      'catalog',
      catalog('title: String! priceCents: Int!', 'offerings(first: Int!): [Offering!]!').replace(
        'DRAFT PUBLISHED',
        'PUBLISHED',
      ),
    );
    expect(report.breaking.map((change) => change.type).sort()).toEqual([
      'ARG_CHANGED_KIND',
      'VALUE_REMOVED_FROM_ENUM',
    ]);
  });

  it('reports a composition error naming the subgraphs involved, and checks nothing else', () => {
    const report = check(
      'catalog',
      catalog().replace('name: String!', '').replace('id: ID! }', 'id: ID! name: Int! }'),
    );
    expect(report.ok).toBe(false);
    expect(report.composition).not.toEqual([]);
    expect(report.composition[0]?.subgraphs).toContain('catalog');
    expect(formatReport(report).join('\n')).toMatch(/composition failed with \d+ error\(s\)/);
  });

  it('adds a partner subgraph that is not listed yet', () => {
    const sport = `${FEDERATION}
      type Offering @key(fields: "id") { id: ID! discipline: String }
    `;
    const report = check('sport', sport);
    expect(report).toMatchObject({ ok: true, replaces: false });
    expect(report.dangerous).toEqual([]);
  });

  it('refuses a subgraph name that cannot name a <NAME>_URL variable', () => {
    expect(check('Sport-Clubs', identity).composition[0]?.code).toBe('INVALID_SUBGRAPH_NAME');
  });
});

describe('the committed contract', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));

  it('validates every operation of operations.graphql against the committed supergraph', async () => {
    const supergraph = await readFile(join(root, 'infra/supergraph/supergraph.graphql'), 'utf8');
    const contract = await readFile(join(root, 'infra/supergraph/operations.graphql'), 'utf8');
    const { checked, problems } = checkOperations(apiSchemaOf(supergraph), contract);
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });
});

describe('npm run supergraph:check', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  async function workspace(candidate: string) {
    const dir = await mkdtemp(join(tmpdir(), 'supergraph-check-'));
    dirs.push(dir);
    await writeFile(join(dir, 'identity.graphql'), identity);
    await writeFile(join(dir, 'catalog.graphql'), catalog());
    await writeFile(join(dir, 'candidate.graphql'), candidate);
    await writeFile(
      join(dir, 'subgraphs.json'),
      JSON.stringify([
        { name: 'identity', url: 'http://identity/graphql', schema: 'identity.graphql' },
        { name: 'catalog', url: 'http://catalog/graphql', schema: 'catalog.graphql' },
      ]),
    );
    await writeFile(join(dir, 'supergraph.graphql'), committedSupergraphSdl);
    await writeFile(join(dir, 'operations.graphql'), operations);
    const out: string[] = [];
    const run = (args: string[]) =>
      runCheck({
        args,
        listPath: join(dir, 'subgraphs.json'),
        rootDir: dir,
        supergraphPath: join(dir, 'supergraph.graphql'),
        operationsPath: join(dir, 'operations.graphql'),
        log: (line) => out.push(line),
        error: (line) => out.push(line),
      });
    return { run, out };
  }

  it('exits 1 with a readable report when the candidate breaks the contract', async () => {
    const { run, out } = await workspace(catalog('title: String!'));
    expect(await run(['catalog', 'candidate.graphql'])).toBe(1);
    expect(out.join('\n')).toContain('✗ 1 breaking change(s) against the committed supergraph');
    expect(out.at(-1)).toBe('  result: FAILED');
  });

  it('exits 0 for a compatible candidate and 2 when called without a schema', async () => {
    const { run, out } = await workspace(catalog('title: String! priceCents: Int! subtitle: String'));
    expect(await run(['catalog', 'candidate.graphql'])).toBe(0);
    expect(await run(['catalog'])).toBe(2);
    expect(out.at(-1)).toMatch(/^usage: npm run supergraph:check/);
  });
});
