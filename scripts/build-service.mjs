#!/usr/bin/env node
// Bundles a process (gateway, a service, a worker) into dist/main.js with esbuild.
// Workspace packages (@mentoring/*) are TypeScript sources and are bundled in;
// every other dependency stays an import resolved from node_modules at run time.
// Usage (from a package folder): node ../../scripts/build-service.mjs [entry …]
import { build } from 'esbuild';

const entries = process.argv.slice(2);
const entryPoints = entries.length > 0 ? entries : ['src/main.ts'];

const externalDependencies = {
  name: 'external-dependencies',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@mentoring/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [externalDependencies],
});
