import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { printSchema, Supergraph } from '@apollo/federation-internals';
import {
  type BreakingChange,
  buildSchema,
  type DangerousChange,
  findBreakingChanges,
  findDangerousChanges,
  type GraphQLSchema,
  Kind,
  parse,
  Source,
  validate,
} from 'graphql';
import {
  type CompositionProblem,
  composeSupergraph,
  formatProblem,
  readSubgraphs,
  type SubgraphSource,
} from './compose-lib';

/** The subgraph schema a team proposes: a new subgraph, or a new version of a listed one. */
export interface Candidate {
  name: string;
  typeDefs: string;
  /** Only used for a new subgraph; a listed one keeps its URL. */
  url?: string;
}

/** A public operation the candidate would break. */
export interface OperationProblem {
  operation: string;
  message: string;
}

export interface CheckReport {
  subgraph: string;
  /** Whether the candidate replaces a listed subgraph (false: it is added). */
  replaces: boolean;
  composition: CompositionProblem[];
  /** Changes that break clients of the committed supergraph's API. */
  breaking: BreakingChange[];
  /** Changes that may change what clients see (e.g. a new enum value); reported, never failing. */
  dangerous: DangerousChange[];
  operations: OperationProblem[];
  /** How many public operations were validated. */
  operationsChecked: number;
  ok: boolean;
}

const SUBGRAPH_NAME = /^[a-z][a-z0-9_]*$/;

/** The API schema clients see (no federation directives or join types) of a supergraph SDL. */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  // Through SDL: federation's packages may load another copy of graphql-js than ours
  // (CommonJS vs ESM builds), and graphql-js refuses to mix the two.
  return buildSchema(printSchema(Supergraph.build(supergraphSdl).apiSchema()));
}

/** The subgraph list with the candidate in place of the subgraph of the same name, or added at the end. */
export function withCandidate(current: readonly SubgraphSource[], candidate: Candidate): SubgraphSource[] {
  const listed = current.some((subgraph) => subgraph.name === candidate.name);
  if (listed)
    return current.map((subgraph) =>
      subgraph.name === candidate.name ? { ...subgraph, typeDefs: candidate.typeDefs } : subgraph,
    );
  return [
    ...current,
    {
      name: candidate.name,
      url: candidate.url ?? `http://${candidate.name}/graphql`,
      typeDefs: candidate.typeDefs,
    },
  ];
}

/** Validates every operation of the contract document against a schema, one problem per error. */
export function checkOperations(
  schema: GraphQLSchema,
  operations: string,
): { checked: number; problems: OperationProblem[] } {
  const document = parse(new Source(operations, 'operations.graphql'));
  const names = document.definitions
    .filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)
    .map((definition) => definition.name?.value ?? '(anonymous)');
  const problems = validate(schema, document).map((error) => {
    const line = error.locations?.[0]?.line;
    const operation = line ? operationAtLine(document, line) : undefined;
    return { operation: operation ?? '(document)', message: error.message };
  });
  return { checked: names.length, problems };
}

function operationAtLine(document: ReturnType<typeof parse>, line: number): string | undefined {
  for (const definition of document.definitions) {
    const loc = definition.loc;
    if (!loc) continue;
    const start = loc.startToken.line;
    const end = loc.endToken.line;
    if (line >= start && line <= end && 'name' in definition) return definition.name?.value;
  }
  return undefined;
}

/** Whether a document holds any definition (the contract file may be only comments). */
function hasDefinitions(text: string): boolean {
  return text.replace(/#[^\n]*/g, '').trim().length > 0;
}

/**
 * Composes the candidate with the current subgraphs and compares the result
 * with the committed supergraph: composition errors, breaking changes of the
 * API schema, and contract operations that no longer validate. Pure: no I/O.
 */
export function checkSubgraph(input: {
  current: readonly SubgraphSource[];
  candidate: Candidate;
  committedSupergraphSdl: string;
  operations?: string;
}): CheckReport {
  const { current, candidate } = input;
  const report: CheckReport = {
    subgraph: candidate.name,
    replaces: current.some((subgraph) => subgraph.name === candidate.name),
    composition: [],
    breaking: [],
    dangerous: [],
    operations: [],
    operationsChecked: 0,
    ok: false,
  };
  if (!SUBGRAPH_NAME.test(candidate.name)) {
    report.composition.push({
      code: 'INVALID_SUBGRAPH_NAME',
      subgraphs: [candidate.name],
      message: 'a subgraph name is lower-case letters, digits or _ (it names the <NAME>_URL variable)',
    });
    return report;
  }
  const outcome = composeSupergraph(withCandidate(current, candidate));
  if (outcome.errors) {
    report.composition = outcome.errors;
    return report;
  }
  const proposed = apiSchemaOf(outcome.supergraphSdl);
  const committed = apiSchemaOf(input.committedSupergraphSdl);
  report.breaking = findBreakingChanges(committed, proposed);
  report.dangerous = findDangerousChanges(committed, proposed);
  if (input.operations && hasDefinitions(input.operations)) {
    const { checked, problems } = checkOperations(proposed, input.operations);
    report.operationsChecked = checked;
    report.operations = problems;
  }
  report.ok = report.breaking.length === 0 && report.operations.length === 0;
  return report;
}

/** The report as a person reads it, one finding per line. */
export function formatReport(report: CheckReport): string[] {
  const action = report.replaces ? 'replacing' : 'adding';
  const lines = [`supergraph check, ${action} subgraph "${report.subgraph}":`];
  if (report.composition.length > 0) {
    lines.push(`  ✗ composition failed with ${report.composition.length} error(s):`);
    for (const problem of report.composition) lines.push(`      ${formatProblem(problem)}`);
    lines.push('  result: FAILED (fix composition first; nothing else was checked)');
    return lines;
  }
  lines.push('  ✓ composes with the other subgraphs');
  if (report.breaking.length > 0) {
    lines.push(`  ✗ ${report.breaking.length} breaking change(s) against the committed supergraph:`);
    for (const change of report.breaking) lines.push(`      ${change.type}: ${change.description}`);
  } else {
    lines.push('  ✓ no breaking change against the committed supergraph');
  }
  for (const change of report.dangerous) lines.push(`  ! ${change.type}: ${change.description}`);
  if (report.operations.length > 0) {
    lines.push(`  ✗ ${report.operations.length} contract operation error(s):`);
    for (const problem of report.operations) lines.push(`      ${problem.operation}: ${problem.message}`);
  } else {
    lines.push(`  ✓ all ${report.operationsChecked} contract operation(s) still validate`);
  }
  lines.push(`  result: ${report.ok ? 'OK' : 'FAILED'}`);
  return lines;
}

export interface CheckRun {
  /** Arguments after `--`: `<name> <schema.graphql> [--url <url>]`. */
  args: readonly string[];
  listPath: string;
  rootDir: string;
  supergraphPath: string;
  operationsPath: string;
  /** Paths in `args` are relative to this directory (default `rootDir`). */
  cwd?: string;
  log?: (line: string) => void;
  error?: (line: string) => void;
}

export const CHECK_USAGE =
  'usage: npm run supergraph:check -- <subgraph-name> <path/to/schema.graphql> [--url <url>]';

/** `npm run supergraph:check`. Returns the exit code: 0 passed, 1 failed, 2 bad usage or unreadable input. */
export async function runCheck(run: CheckRun): Promise<number> {
  const log = run.log ?? ((line: string) => console.log(line));
  const error = run.error ?? ((line: string) => console.error(line));
  const args = [...run.args];
  const urlAt = args.indexOf('--url');
  const url = urlAt >= 0 ? args.splice(urlAt, 2)[1] : undefined;
  const [name, schemaPath, ...extra] = args;
  if (!name || !schemaPath || extra.length > 0 || (urlAt >= 0 && !url)) {
    error(CHECK_USAGE);
    return 2;
  }
  let typeDefs: string;
  let current: SubgraphSource[];
  let committedSupergraphSdl: string;
  let operations: string | undefined;
  try {
    typeDefs = await readFile(resolve(run.cwd ?? run.rootDir, schemaPath), 'utf8');
    current = await readSubgraphs(run.listPath, run.rootDir);
    committedSupergraphSdl = await readFile(run.supergraphPath, 'utf8');
    operations = await readFile(run.operationsPath, 'utf8').catch(() => undefined);
  } catch (cause) {
    error((cause as Error).message);
    return 2;
  }
  let report: CheckReport;
  try {
    report = checkSubgraph({
      current,
      candidate: { name, typeDefs, ...(url ? { url } : {}) },
      committedSupergraphSdl,
      operations,
    });
  } catch (cause) {
    // A contract document that does not parse, or a committed supergraph that does not build.
    error(`supergraph check could not run: ${(cause as Error).message}`);
    return 1;
  }
  for (const line of formatReport(report)) (report.ok ? log : error)(line);
  return report.ok ? 0 : 1;
}
