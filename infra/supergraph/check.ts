import { fileURLToPath } from 'node:url';
import { runCheck } from './check-lib';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// npm runs scripts from the repository root; INIT_CWD is where the command was typed.
process.exitCode = await runCheck({
  args: process.argv.slice(2),
  listPath: here('./subgraphs.json'),
  rootDir: here('../..'),
  supergraphPath: here('./supergraph.graphql'),
  operationsPath: here('./operations.graphql'),
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
