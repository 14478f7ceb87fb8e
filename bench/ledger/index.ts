/**
 * Ledger throughput: authorize + capture transfers per second through the
 * funds domain (the code the internal API runs, over a PostgreSQL pool, no
 * HTTP), over many grants and over one hot grant, against the physical
 * baseline: a bare conditional `UPDATE … SET balance = balance - $1 WHERE id = $2
 * AND balance >= $1` on a plain table, at the same concurrency.
 *
 *   node --import tsx bench/ledger/index.ts        BENCH_DURATION=5 (seconds per scenario, default 8)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Database,
  dropDatabase,
  ensureDatabase,
  migrate,
  openPostgres,
  readMigrations,
} from '@mentoring/db';
import { findTestServers } from '../../packages/testing/src/servers';
import {
  confirmContribution,
  createFund,
  createProgram,
  recordContribution,
} from '../../services/funds/src/domain/funding';
import { checkLedger } from '../../services/funds/src/domain/ledger/check';
import { authorizePayment, capturePayment } from '../../services/funds/src/domain/payments';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const GRANTS = 2_000;
const MANY_CLIENTS = 20;
const HOT_CLIENTS = 50;
const PROVIDERS = 20;
const migrationsDir = fileURLToPath(new URL('../../services/funds/src/db/migrations', import.meta.url));

interface Row {
  scenario: string;
  clients: number;
  ops: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;

/** Runs `clients` loops of `op` for the duration; each op reports its own latencies (one per transfer). */
async function measure(
  scenario: string,
  clients: number,
  op: (client: number, i: number, timed: <T>(run: () => Promise<T>) => Promise<T>) => Promise<void>,
): Promise<Row> {
  const latencies: number[] = [];
  let failures = 0;
  const timed = async <T>(run: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await run();
    latencies.push(performance.now() - start);
    return result;
  };
  const started = performance.now();
  const deadline = started + DURATION_S * 1000;
  let counter = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < deadline) {
        try {
          await op(client, counter++, timed);
        } catch (error) {
          failures++;
          if (failures <= 3) console.error(`${scenario}: ${(error as Error).message}`);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    scenario,
    clients,
    ops: latencies.length,
    opsPerSecond: Math.round(latencies.length / seconds),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    failures,
  };
}

/**
 * A fund, a program and `count` active grants of `grantCents`. The grants are
 * written in bulk with SQL (setup is not measured; the invariant check at the
 * end verifies it left the ledger consistent).
 */
async function grants(db: Database, count: number, grantCents: number): Promise<string[]> {
  const fund = await createFund(db, 'bench', { communityId: 'bench', name: 'Bench fund' });
  const contribution = await recordContribution(db, 'bench', {
    fundId: fund.id,
    sponsorOrganizationId: 'bench-sponsor',
    amountCents: count * grantCents,
    idempotencyKey: randomUUID(),
  });
  await confirmContribution(db, contribution.id);
  const program = await createProgram(db, 'bench', {
    fundId: fund.id,
    name: 'Bench program',
    grantAmountCents: grantCents,
    budgetCents: count * grantCents,
    spendDeadline: new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10),
  });
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ id: string }>(
      `INSERT INTO grants (id, program_id, beneficiary_id, holder_user_id, status, amount_cents, issued_by, expires_at)
       SELECT gen_random_uuid(), $1, 'beneficiary-' || i, 'holder-' || i, 'ACTIVE', $2, 'bench', now() + interval '300 days'
         FROM generate_series(1, $3::int) i RETURNING id`,
      [program.id, grantCents, count],
    );
    const ids = rows.map((r) => r.id);
    await tx.query(
      `INSERT INTO accounts (id, kind, protected, credits_posted) SELECT 'grant:' || id, 'GRANT', true, $2 FROM unnest($1::uuid[]) id`,
      [ids, grantCents],
    );
    await tx.query(
      `INSERT INTO transfers (id, idempotency_key, debit_account, credit_account, amount_cents, kind, status, metadata)
       SELECT gen_random_uuid(), 'grant-issue:' || id, 'program:' || $2::text, 'grant:' || id, $3, 'GRANT_ISSUE', 'POSTED',
              jsonb_build_object('grantId', id)
         FROM unnest($1::uuid[]) id`,
      [ids, program.id, grantCents],
    );
    await tx.query('UPDATE accounts SET debits_posted = debits_posted + $2 WHERE id = $1', [
      `program:${program.id}`,
      count * grantCents,
    ]);
    return ids;
  });
}

/** One redemption: hold a few cents, then capture them. Two transfers, each timed. */
async function authorizeAndCapture(
  db: Database,
  grantId: string,
  providerId: string,
  timed: <T>(run: () => Promise<T>) => Promise<T>,
) {
  const redemptionId = randomUUID();
  await timed(() =>
    authorizePayment(db, {
      redemptionId,
      grantId,
      providerId,
      offeringId: 'bench-offering',
      category: 'music',
      amountCents: 1 + Math.floor(Math.random() * 50),
    }),
  );
  await timed(() => capturePayment(db, { redemptionId }));
}

export default async function main() {
  process.env.LOG_LEVEL ??= 'warn';
  const servers = await findTestServers();
  const url = new URL(servers.postgresUrl);
  url.pathname = `/bench_ledger_${randomBytes(4).toString('hex')}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  const db = openPostgres({ service: 'bench-ledger', url: databaseUrl, max: HOT_CLIENTS + 2 });
  try {
    await migrate(db, readMigrations(migrationsDir));
    await db.exec(`CREATE TABLE plain_balances (id integer PRIMARY KEY, balance bigint NOT NULL);
      INSERT INTO plain_balances SELECT i, 1000000000 FROM generate_series(0, ${GRANTS}) i;`);

    console.log(`setting up ${GRANTS} grants and one hot grant…`);
    const setupStarted = performance.now();
    const many = await grants(db, GRANTS, 1_000_000);
    const [hot] = await grants(db, 1, 100_000_000);
    const setupSeconds = Number(((performance.now() - setupStarted) / 1000).toFixed(1));
    console.log(`set up in ${setupSeconds} s`);
    const rows: Row[] = [];
    const baseline =
      (client: number, i: number, rowsCount: number) =>
      async (_c: number, _i: number, timed: <T>(run: () => Promise<T>) => Promise<T>) => {
        await timed(() =>
          db.query('UPDATE plain_balances SET balance = balance - $1 WHERE id = $2 AND balance >= $1', [
            1 + ((client + i) % 50),
            rowsCount === 1 ? 0 : (client * 7919 + i) % rowsCount,
          ]),
        );
      };

    console.log(`measuring ${DURATION_S} s per scenario…`);
    rows.push(
      await measure(`ledger: ${GRANTS} grants`, MANY_CLIENTS, (client, i, timed) =>
        authorizeAndCapture(db, many[(client * 7919 + i) % many.length]!, `provider-${i % PROVIDERS}`, timed),
      ),
    );
    rows.push(
      await measure(`baseline: ${GRANTS} rows`, MANY_CLIENTS, (client, i, timed) =>
        baseline(client, i, GRANTS)(client, i, timed),
      ),
    );
    rows.push(
      await measure('ledger: one hot grant', HOT_CLIENTS, (_client, _i, timed) =>
        authorizeAndCapture(db, hot!, 'provider-hot', timed),
      ),
    );
    rows.push(
      await measure('baseline: one hot row', HOT_CLIENTS, (client, i, timed) =>
        baseline(client, i, 1)(client, i, timed),
      ),
    );

    const checkStarted = performance.now();
    const checks = await checkLedger(db);
    console.log(`invariant check in ${((performance.now() - checkStarted) / 1000).toFixed(1)} s`);
    const ledgerClean = checks.every((c) => c.ok);
    const ratio = (ledger: Row, base: Row) => Number((ledger.opsPerSecond / base.opsPerSecond).toFixed(3));
    const ratios = { manyGrants: ratio(rows[0]!, rows[1]!), hotGrant: ratio(rows[2]!, rows[3]!) };

    console.log('');
    console.table(
      rows.map((r) => ({
        scenario: r.scenario,
        clients: r.clients,
        'ops/s': r.opsPerSecond,
        'p50 ms': r.p50Ms,
        'p99 ms': r.p99Ms,
        ops: r.ops,
        failures: r.failures,
      })),
    );
    console.log(
      `ledger/baseline: many grants ${ratios.manyGrants}, hot grant ${ratios.hotGrant}` +
        ` (one ledger op = one transfer: an authorization or a capture, each its own transaction)`,
    );
    console.log(`ledger invariants after the run: ${ledgerClean ? 'all OK' : 'FAILED'}`);

    const report = {
      benchmark: 'ledger',
      date: new Date().toISOString(),
      durationSecondsPerScenario: DURATION_S,
      setupSeconds,
      machine: {
        cpus: cpus().length,
        loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
        node: process.version,
      },
      postgres: servers.source.postgres,
      rows,
      ratios,
      ledgerClean,
    };
    const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
    await mkdir(resultsDir, { recursive: true });
    await writeFile(join(resultsDir, 'ledger.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log('wrote bench/results/ledger.json');
    if (!ledgerClean) process.exitCode = 1;
    return report;
  } finally {
    await db.close();
    await dropDatabase(databaseUrl).catch(() => {});
    await servers.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
