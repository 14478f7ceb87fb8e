import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { errorCodes } from '@mentoring/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  expectNoOrphans,
  type Platform,
  redeemAs,
  redemptionsByStatus,
  seatsReserved,
  startTestPlatform,
} from './fixtures';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The base DATABASE_URL from which catalog derives `<base>_catalog` (the URL of its own database). */
function baseDatabaseUrl(catalogUrl: string): string {
  const url = new URL(catalogUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name.endsWith('_catalog')) throw new Error(`unexpected catalog database ${name}`);
  url.pathname = `/${name.slice(0, -'_catalog'.length)}`;
  return url.toString();
}

interface CatalogProcess {
  child: ChildProcess;
  output: () => string;
}

/** Catalog as its own OS process (`main.ts`), serving on `port` until killed. */
async function spawnCatalog(p: Platform, port: number): Promise<CatalogProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/catalog/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: baseDatabaseUrl(p.databaseUrls.catalog),
      REDIS_URL: inject('redisUrl'),
      REDIS_PREFIX: p.stack.redisPrefix,
      SERVICE_TOKEN_SECRET: p.stack.serviceTokenSecret,
      JWKS_URL: `${p.stack.urls.identity}/.well-known/jwks.json`,
      IDENTITY_URL: p.stack.urls.identity,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const proc = { child, output: () => output };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`catalog exited (${child.exitCode ?? child.signalCode}) before serving:\n${output}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) })
      .then((res) => res.ok)
      .catch(() => false);
    if (healthy) return proc;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`catalog not healthy on port ${port} after 30 s:\n${output}`);
    }
    await sleep(100);
  }
}

async function kill(proc: CatalogProcess | undefined) {
  const child = proc?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

let p: Platform;
let catalog: CatalogProcess | undefined;
beforeAll(async () => {
  p = await startTestPlatform('redeem_kill');
}, 120_000);
afterAll(async () => {
  await kill(catalog);
  await p?.close();
});

describe('when the catalog process is killed in the middle of redemptions', () => {
  it('leaves no orphan seat and no orphan hold once catalog is restarted and recovery ran', async () => {
    const offering = await p.offering({ priceCents: 1000, capacity: 100 });
    const grants = await Promise.all(Array.from({ length: 60 }, () => p.activeGrant()));
    const catalogPort = Number(new URL(p.stack.urls.catalog).port);

    // Catalog moves out of the test process into its own, on the same port and database.
    await p.stack.subgraphs.catalog.close();
    catalog = await spawnCatalog(p, catalogPort);

    // Redemptions keep coming while catalog is killed outright: some finish, some are caught half-way.
    const inFlight = grants.map(async (g, i) => {
      await sleep(i * 5);
      return redeemAs(p, g.holder, { grantId: g.id, offeringId: offering.id });
    });
    while ((await seatsReserved(p, offering.id)) < 5) await sleep(2);
    await kill(catalog);
    const results = await Promise.all(inFlight);
    // (Even redemptions that went through fail to answer: their `offering` fields come from catalog.)
    const interrupted = results.filter((r) => errorCodes(r).includes('INTERNAL_SERVER_ERROR'));
    expect(interrupted.length).toBeGreaterThan(0);
    expect((await redemptionsByStatus(p, offering.id)).PENDING).toBeGreaterThan(0);

    // Catalog comes back (a new process, same database and port); recovery settles what was left pending.
    catalog = await spawnCatalog(p, catalogPort);
    const report = await p.redemption.maintenance.recoverStale({ staleMs: 0 });
    expect(report.failed).toBe(0);
    expect(report.compensated).toBeGreaterThan(0);

    expect(await expectNoOrphans(p, offering.id)).toBeGreaterThan(0);

    // And the platform works again through the restarted process.
    const fresh = await p.activeGrant();
    const after = await redeemAs(p, fresh.holder, { grantId: fresh.id, offeringId: offering.id });
    expect(after.data?.redeem.status).toBe('AUTHORIZED');
  }, 90_000);
});
