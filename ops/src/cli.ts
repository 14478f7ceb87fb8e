// `npm run ops -- <command>`: the operators' command line (see ops/README.md).
import { runProgram } from './program';

process.exitCode = await runProgram(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
});
