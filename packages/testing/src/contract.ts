import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Kind, parse, print } from 'graphql';

const CONTRACT = fileURLToPath(new URL('../../../infra/supergraph/operations.graphql', import.meta.url));
let operations: Map<string, string> | undefined;

/** One operation of the public contract (infra/supergraph/operations.graphql), by name, as clients send it. */
export function contractOperation(name: string): string {
  operations ??= new Map(
    parse(readFileSync(CONTRACT, 'utf8'))
      .definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION && d.name)
      .map((d) => [(d as { name: { value: string } }).name.value, print(d)]),
  );
  const operation = operations.get(name);
  if (!operation) throw new Error(`the contract has no operation named ${name}`);
  return operation;
}
