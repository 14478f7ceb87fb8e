/**
 * Gateway overhead: `{ categories { slug name } }` straight to the catalog subgraph and
 * through the gateway, at 1, 10 and 50 connections. Both servers run in this process
 * on free ports; autocannon fires from a worker thread so it does not share their event loop.
 *
 *   npm run bench gateway            BENCH_DURATION=10 npm run bench gateway
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { dropDatabase } from '@mentoring/db';
import { findTestServers } from '@mentoring/testing';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { createGateway } from '../../gateway/src/gateway';
import { composeSupergraph, readSubgraphs } from '../../infra/supergraph/compose-lib';
import { createCatalog } from '../../services/catalog/src/app';

// Both servers log per request at info: that would measure the terminal.
process.env.LOG_LEVEL ??= 'warn';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = [1, 10, 50];
const SETTLE_MS = 1000;
const QUERY = JSON.stringify({ query: '{ categories { slug name } }' });

interface Row {
  target: 'direct' | 'gateway';
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  failures: number;
}

async function post(url: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: QUERY,
  });
  const text = await response.text();
  const body = JSON.parse(text) as { data?: { categories?: unknown[] }; errors?: unknown };
  if (!response.ok || body.errors || !body.data?.categories?.length)
    throw new Error(`${url} did not answer the query properly: ${response.status} ${text}`);
  return text;
}

async function load(
  target: Row['target'],
  url: string,
  connections: number,
  expectBody: string,
  duration = DURATION_S,
): Promise<Row> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: QUERY,
    connections,
    duration,
    workers: 1,
    expectBody,
  });
  // A server keeps working on requests whose client has gone; let that finish before the next run.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return {
    target,
    connections,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    failures: result.errors + result.timeouts + result.non2xx + result.mismatches,
  };
}

function printTable(rows: Row[]): void {
  const header = ['target', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'failures'];
  const lines = rows.map((r) => [
    r.target,
    String(r.connections),
    String(r.requestsPerSecond),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    String(r.requests),
    String(r.failures),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]?.length ?? 0)));
  const format = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  console.log(format(header));
  for (const line of lines) console.log(format(line));
}

const servers = await findTestServers();
const databaseUrl = Object.assign(new URL(servers.postgresUrl), { pathname: '/bench_gateway' }).toString();
const tmp = await mkdtemp(join(tmpdir(), 'bench-gateway-'));
// Undone last-in first-out.
const cleanups: Array<() => Promise<unknown>> = [
  () => servers.stop(),
  () => rm(tmp, { recursive: true, force: true }),
  () => dropDatabase(databaseUrl),
];
try {
  await dropDatabase(databaseUrl);
  const catalog = await createCatalog({
    exactDatabaseUrl: databaseUrl,
    redisUrl: servers.redisUrl,
    production: true,
    serviceTokenSecret: randomBytes(32).toString('base64url'),
    lookupProvider: async () => null,
  });
  cleanups.push(() => catalog.close());
  const catalogUrl = `${await catalog.listen({ port: 0, host: '127.0.0.1' })}/graphql`;

  // Composed from the current subgraph schemas (the committed file may lag behind); the
  // query only reaches catalog, so the other subgraphs need not run.
  const subgraphs = await readSubgraphs(join(root, 'infra/supergraph/subgraphs.json'), root);
  const outcome = composeSupergraph(subgraphs);
  if (outcome.errors) throw new Error(`the subgraphs do not compose: ${JSON.stringify(outcome.errors)}`);
  const supergraphPath = join(tmp, 'supergraph.graphql');
  await writeFile(supergraphPath, outcome.supergraphSdl);
  const gateway = await createGateway({
    supergraphPath,
    production: true,
    port: 0,
    subgraphUrls: { catalog: catalogUrl },
    logger: pino({ level: process.env.LOG_LEVEL }),
  });
  cleanups.push(() => gateway.close());

  const targets = { direct: catalogUrl, gateway: gateway.url } as const;
  const expected = { direct: await post(targets.direct), gateway: await post(targets.gateway) };
  console.log(`catalog ${targets.direct}  gateway ${targets.gateway}  ${DURATION_S}s per run`);
  const loadBefore = loadavg()[0] ?? 0;
  if (loadBefore > 1)
    console.warn(`load average is ${loadBefore.toFixed(1)}: other work will skew the numbers`);

  // Warm-up: JIT, connection pools, the gateway's query-plan cache.
  for (const target of ['direct', 'gateway'] as const)
    await load(target, targets[target], 10, expected[target], 1);

  const rows: Row[] = [];
  for (const connections of CONNECTIONS) {
    for (const target of ['direct', 'gateway'] as const) {
      rows.push(await load(target, targets[target], connections, expected[target]));
    }
  }
  printTable(rows);

  const ratios = CONNECTIONS.map((connections) => {
    const of = (target: Row['target']) =>
      rows.find((r) => r.target === target && r.connections === connections)?.requestsPerSecond ?? 0;
    return {
      connections,
      gatewayToDirect: of('direct') ? Number((of('gateway') / of('direct')).toFixed(3)) : 0,
    };
  });
  console.log(
    `gateway/direct throughput: ${ratios.map((r) => `${r.connections} conn ${r.gatewayToDirect}`).join(', ')}`,
  );

  const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
  await mkdir(resultsDir, { recursive: true });
  const report = {
    benchmark: 'gateway',
    query: '{ categories { slug name } }',
    durationSeconds: DURATION_S,
    node: process.version,
    loadAverageBefore: loadBefore,
    at: new Date().toISOString(),
    rows,
    ratios,
  };
  await writeFile(join(resultsDir, 'gateway.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('wrote bench/results/gateway.json');
  if (rows.some((r) => r.failures > 0)) {
    console.error('some requests failed: the numbers above are not trustworthy');
    process.exitCode = 1;
  }
} finally {
  for (const cleanup of cleanups.reverse()) {
    await cleanup().catch((error: unknown) => console.error('cleanup:', error));
  }
}
