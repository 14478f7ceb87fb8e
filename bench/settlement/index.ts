/**
 * Settlement grouping: time to turn N captured payments across 500 providers
 * into payouts with the funds domain (`processRun`: one transaction per
 * provider, captures locked and claimed into payout_items), against a single
 * plain SQL aggregation (`SELECT credit_account, sum(amount_cents) … GROUP BY`)
 * over the same rows. Captures are inserted with SQL in bulk into a scratch
 * funds database; providers come from a fake directory (no identity).
 *
 *   node --import tsx bench/settlement/index.ts      BENCH_SETTLEMENT_SIZES=10000,100000 (default)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropDatabase, ensureDatabase, migrate, openPostgres, readMigrations } from '@mentoring/db';
import { findTestServers } from '../../packages/testing/src/servers';
import { insertRun } from '../../services/funds/src/db/settlement';
import type { ProviderInfo } from '../../services/funds/src/domain/settlement/rules';
import { processRun } from '../../services/funds/src/domain/settlement/settlement';

const PROVIDERS = 500;
const SIZES = (process.env.BENCH_SETTLEMENT_SIZES ?? '10000,100000').split(',').map(Number);
const migrationsDir = fileURLToPath(new URL('../../services/funds/src/db/migrations', import.meta.url));
const COMMUNITY = 'bench-community';

interface Row {
  captures: number;
  providers: number;
  setupMs: number;
  groupingMs: number;
  sqlAggregationMs: number;
  ratio: number;
  capturesPerSecond: number;
  payouts: number;
  totalsMatch: boolean;
}

async function measure(postgresUrl: string, captures: number): Promise<Row> {
  const url = new URL(postgresUrl);
  url.pathname = `/bench_settlement_${randomBytes(4).toString('hex')}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  const db = openPostgres({ service: 'bench-settlement', url: databaseUrl, max: 4 });
  try {
    await migrate(db, readMigrations(migrationsDir));
    const setupStarted = performance.now();
    // Accounts, then captures (posted grant → provider), 20 per grant, spread over the providers.
    await db.exec(`
      INSERT INTO accounts (id, kind, protected)
        SELECT 'provider:${'bench-provider-'}' || lpad(i::text, 4, '0'), 'PROVIDER', false FROM generate_series(0, ${PROVIDERS - 1}) i;
      INSERT INTO accounts (id, kind, protected)
        SELECT 'grant:' || md5('g' || i)::uuid, 'GRANT', true FROM generate_series(0, ${Math.ceil(captures / 20) - 1}) i;
      INSERT INTO transfers (id, idempotency_key, debit_account, credit_account, amount_cents, kind, status, metadata, created_at)
        SELECT gen_random_uuid(), 'capture:' || md5('r' || i)::uuid,
               'grant:' || md5('g' || (i / 20))::uuid,
               'provider:bench-provider-' || lpad((i % ${PROVIDERS})::text, 4, '0'),
               100 + (i * 37) % 9900, 'CAPTURE', 'POSTED',
               jsonb_build_object('redemptionId', md5('r' || i)::uuid::text),
               now() - interval '1 day'
          FROM generate_series(0, ${captures - 1}) i;
      ANALYZE transfers; ANALYZE accounts;`);
    const setupMs = performance.now() - setupStarted;

    const aggregate = async () => {
      const started = performance.now();
      const rows = await db.query<{ account: string; total: string; n: string }>(
        `SELECT credit_account AS account, sum(amount_cents) AS total, count(*) AS n FROM transfers
          WHERE kind = 'CAPTURE' AND status = 'POSTED' GROUP BY credit_account`,
      );
      return { ms: performance.now() - started, rows };
    };
    const baseline = [await aggregate(), await aggregate(), await aggregate()].sort((a, b) => a.ms - b.ms);
    const sqlAggregationMs = baseline[1]!.ms;

    const directory = async (ids: string[]): Promise<ProviderInfo[]> =>
      ids.map((id) => ({
        id,
        communityId: COMMUNITY,
        kind: 'PROVIDER',
        name: `Provider ${id}`,
        iban: 'IT60X0542811101000000123456',
      }));
    const runId = randomUUID();
    await insertRun(db, {
      id: runId,
      communityId: COMMUNITY,
      periodEnd: new Date().toISOString().slice(0, 10),
      idempotencyKey: runId,
      createdBy: 'bench',
    });
    const started = performance.now();
    const result = await processRun(db, runId, { directory, holdDays: 0 });
    const groupingMs = performance.now() - started;

    const payouts = await db.query<{ provider_id: string; amount_cents: string; redemption_count: number }>(
      'SELECT provider_id, amount_cents, redemption_count FROM payouts WHERE run_id = $1',
      [runId],
    );
    const expected = new Map(baseline[0]!.rows.map((r) => [r.account.slice('provider:'.length), r]));
    const totalsMatch =
      result.status === 'PENDING_APPROVAL' &&
      payouts.length === expected.size &&
      payouts.every((p) => {
        const e = expected.get(p.provider_id);
        return e && e.total === String(p.amount_cents) && Number(e.n) === p.redemption_count;
      });
    return {
      captures,
      providers: PROVIDERS,
      setupMs: Math.round(setupMs),
      groupingMs: Math.round(groupingMs),
      sqlAggregationMs: Math.round(sqlAggregationMs * 10) / 10,
      ratio: Math.round((groupingMs / sqlAggregationMs) * 10) / 10,
      capturesPerSecond: Math.round(captures / (groupingMs / 1000)),
      payouts: payouts.length,
      totalsMatch,
    };
  } finally {
    await db.close();
    await dropDatabase(databaseUrl).catch(() => {});
  }
}

export default async function main() {
  process.env.LOG_LEVEL ??= 'warn';
  const servers = await findTestServers();
  try {
    const rows: Row[] = [];
    for (const size of SIZES) {
      console.log(`settling ${size} captures across ${PROVIDERS} providers…`);
      rows.push(await measure(servers.postgresUrl, size));
    }
    console.table(rows);
    const report = {
      benchmark: 'settlement',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      postgres: servers.source.postgres,
      note: 'groupingMs: processRun (one transaction per provider: payout row, captures locked FOR SHARE, items claimed with ON CONFLICT) vs sqlAggregationMs: one GROUP BY over the same rows (median of 3).',
      rows,
    };
    const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
    await mkdir(resultsDir, { recursive: true });
    await writeFile(join(resultsDir, 'settlement.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log('wrote bench/results/settlement.json');
    if (!rows.every((r) => r.totalsMatch)) process.exitCode = 1;
    return report;
  } finally {
    await servers.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
