/**
 * Redemption end to end: `redeem` through the gateway (redemption → catalog
 * seat → funds hold → code) with many grants and 50 concurrent clients, then
 * one hot grant under 200 concurrent attempts (no overspend), against funds'
 * `authorizePayment` alone over its internal API in the same run.
 *
 *   node --import tsx bench/redemption/index.ts     BENCH_DURATION=5 (seconds per timed scenario, default 8)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createInternalClient, fundsApi } from '@mentoring/internal-api';
import { createServiceTokens } from '@mentoring/subgraph-kit';
import { findTestServers } from '../../packages/testing/src/servers';
import { redeemAs, startPlatform, type User } from '../../services/redemption/test/platform';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const CLIENTS = 50;
const GRANTS_PER_CLIENT = 4;
const HOT_ATTEMPTS = 200;
const PRICE = 100;
const HOT_GRANT = 8000; // affords exactly 80 redemptions of 100

interface Row {
  scenario: string;
  clients: number;
  ops: number;
  errors: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;

/** Runs `op` from `clients` loops for `seconds`; latency of each call. */
async function timed(
  scenario: string,
  clients: number,
  seconds: number,
  op: (client: number) => Promise<boolean>,
) {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < until) {
        const t = performance.now();
        const ok = await op(client).catch(() => false);
        latencies.push(performance.now() - t);
        if (!ok) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    scenario,
    clients,
    ops: latencies.length,
    errors,
    perSecond: Math.round(latencies.length / elapsed),
    p50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
    p99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
  } satisfies Row;
}

const servers = await findTestServers();
const setupStarted = performance.now();
const platform = await startPlatform({
  postgresUrl: servers.postgresUrl,
  redisUrl: servers.redisUrl,
  redisPrefix: `bench:redemption:${randomBytes(3).toString('hex')}`,
  label: 'bench_rd',
  programGrantCents: HOT_GRANT,
});
let exitCode = 0;
try {
  const offering = await platform.offering({ priceCents: PRICE, title: 'Bench course' });
  // 50 holders (sign-up hashes a password: done once each), each with a few grants.
  const holders: User[] = [];
  for (let i = 0; i < CLIENTS; i += 10)
    holders.push(...(await Promise.all(Array.from({ length: 10 }, () => platform.signUp('bench')))));
  const grantsOf: string[][] = await Promise.all(
    holders.map(async (holder) => {
      const grants: string[] = [];
      for (let g = 0; g < GRANTS_PER_CLIENT; g++) grants.push((await platform.activeGrant({ holder })).id);
      return grants;
    }),
  );
  const setupSeconds = Math.round((performance.now() - setupStarted) / 100) / 10;

  // 1. Many grants, 50 clients, through the gateway.
  const turn = new Array<number>(CLIENTS).fill(0);
  const many = await timed('redeem via gateway: many grants', CLIENTS, DURATION_S, async (client) => {
    const grants = grantsOf[client]!;
    const grantId = grants[turn[client]!++ % grants.length]!;
    const res = await redeemAs(platform, holders[client]!, { grantId, offeringId: offering.id });
    return res.data?.redeem.status === 'AUTHORIZED';
  });

  // 2. One hot grant, 200 concurrent attempts: exactly what it affords.
  const hot = await platform.activeGrant();
  const hotStarted = performance.now();
  const hotLatencies: number[] = [];
  const attempts = await Promise.all(
    Array.from({ length: HOT_ATTEMPTS }, async () => {
      const t = performance.now();
      const res = await redeemAs(platform, hot.holder, { grantId: hot.id, offeringId: offering.id });
      hotLatencies.push(performance.now() - t);
      return res;
    }),
  );
  const hotSeconds = (performance.now() - hotStarted) / 1000;
  hotLatencies.sort((a, b) => a - b);
  const authorized = attempts.filter((r) => r.data?.redeem.status === 'AUTHORIZED').length;
  const refusedCodes = new Set(attempts.flatMap((r) => (r.errors ?? []).map((e) => e.extensions?.code)));
  const [balance] = await platform.databases.funds.query<{ available: string }>(
    "SELECT credits_posted - debits_posted - debits_pending AS available FROM accounts WHERE id = 'grant:' || $1",
    [hot.id],
  );
  const hotRow: Row = {
    scenario: `redeem via gateway: one hot grant, ${HOT_ATTEMPTS} at once`,
    clients: HOT_ATTEMPTS,
    ops: HOT_ATTEMPTS,
    errors: HOT_ATTEMPTS - authorized,
    perSecond: Math.round(HOT_ATTEMPTS / hotSeconds),
    p50Ms: Math.round(percentile(hotLatencies, 50) * 10) / 10,
    p99Ms: Math.round(percentile(hotLatencies, 99) * 10) / 10,
  };
  const overspend = authorized * PRICE > HOT_GRANT || Number(balance?.available) < 0;

  // 3. Baseline: funds' authorizePayment alone (internal API, one hold per call).
  const call = createInternalClient({
    tokens: createServiceTokens(platform.stack.serviceTokenSecret, 'bench'),
    urls: platform.stack.urls,
  });
  const baseline = await timed('funds authorizePayment alone (internal API)', CLIENTS, DURATION_S, (client) =>
    call(fundsApi.authorizePayment, {
      redemptionId: randomUUID(),
      grantId: grantsOf[client]![turn[client]!++ % GRANTS_PER_CLIENT]!,
      providerId: platform.providerId,
      offeringId: offering.id,
      category: 'music',
      amountCents: 1,
    }).then(() => true),
  );

  const rows = [many, hotRow, baseline];
  console.table(rows);
  const ratio = Math.round((many.perSecond / Math.max(1, baseline.perSecond)) * 100) / 100;
  console.log(
    `end-to-end redeem = ${ratio}× funds authorizePayment alone; hot grant: ${authorized} authorized of ${HOT_ATTEMPTS} (affordable ${HOT_GRANT / PRICE}), refusals ${[...refusedCodes].join(', ') || 'none'}, overspend: ${overspend ? 'YES' : 'no'}`,
  );
  const out = fileURLToPath(new URL('../results/redemption.json', import.meta.url));
  await mkdir(fileURLToPath(new URL('../results/', import.meta.url)), { recursive: true });
  await writeFile(
    out,
    `${JSON.stringify(
      {
        benchmark: 'redemption',
        date: new Date().toISOString(),
        durationSecondsPerScenario: DURATION_S,
        setupSeconds,
        machine: {
          cpus: cpus().length,
          loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
          node: process.version,
        },
        postgres: servers.source.postgres,
        rows,
        hotGrant: {
          attempts: HOT_ATTEMPTS,
          authorized,
          affordable: HOT_GRANT / PRICE,
          refusals: [...refusedCodes],
          overspend,
        },
        ratioRedeemToAuthorize: ratio,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`wrote ${out}`);
  if (overspend || authorized !== HOT_GRANT / PRICE) exitCode = 1;
} finally {
  await platform.close();
  await servers.stop();
}
process.exit(exitCode);
