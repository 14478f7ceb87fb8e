import { fileURLToPath } from 'node:url';
import { runCompose } from './compose-lib';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

process.exitCode = await runCompose({
  listPath: here('./subgraphs.json'),
  rootDir: here('../..'),
  supergraphPath: here('./supergraph.graphql'),
  displayPath: 'infra/supergraph/supergraph.graphql',
  check: process.argv.includes('--check'),
});
