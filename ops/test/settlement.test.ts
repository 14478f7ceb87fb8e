import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SettlementRun } from '../src/operations';
import { runCli, runInProcess, tempDir } from './helpers';
import { type SettlementWorld, startSettlementWorld } from './settlement-world';

// The settlement and ledger commands against the real stack: one run of a
// community from captures to a paid payout, approved by a second operator.
// `run` and `approve` go through the CLI as a child process (exit codes, as an
// operator sees them); the rest through the same program in-process (no tsx
// start-up, which takes seconds on a loaded machine).
let w: SettlementWorld;
let first: Record<string, string>;
let second: Record<string, string>;
const today = new Date().toISOString().slice(0, 10);
/** Two captures of €30.00 and €12.50 to one provider: one payout of €42.50. */
const CAPTURED = [3_000, 1_250];

beforeAll(async () => {
  w = await startSettlementWorld(inject('postgresUrl'), CAPTURED);
  const env = () => ({
    MENTORING_GATEWAY: w.stack.gatewayUrl,
    MENTORING_OPS_CONFIG: join(tempDir(), 'ops.json'),
  });
  first = env();
  second = env();
  const login = await runInProcess(
    ['login', '--email', w.stack.operator.email, '--password', w.stack.operator.password],
    first,
  );
  expect(login.code, login.stderr).toBe(0);
}, 120_000);
afterAll(() => w?.close());

const runArgs = (slug: string) => ['settlement', 'run', '--community', slug, '--period-end', today];

async function status(id: string, env: Record<string, string>): Promise<SettlementRun> {
  const result = await runInProcess(['settlement', 'status', id, '--json'], env);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

describe('a settlement run from the command line, to a paid payout', () => {
  let runId: string;
  let out: string;

  it('runs the community until it waits for approval and prints the payout table', async () => {
    const result = await runCli(runArgs(w.community.slug), first);
    expect(result.code, result.stderr).toBe(0);
    runId = /Run (\S+) (?:QUEUED|RUNNING|PENDING_APPROVAL)/.exec(result.stderr)![1]!;
    expect(result.stderr).toContain(`key ops:settlement:${w.community.id}:${today}`);
    expect(result.stdout).toMatch(
      new RegExp(`Run ${runId}\\s+PENDING_APPROVAL\\s+period end ${today}\\s+total €42\\.50\\s+1 payout`),
    );
    expect(result.stdout).toMatch(/payout\s+provider\s+redemptions\s+amount\s+status/);
    expect(result.stdout).toMatch(/Istituto Musicale Costa\s+2\s+€42\.50\s+PENDING_APPROVAL/);
  });

  it('asks for the same run again with the derived key', async () => {
    const again = await runInProcess([...runArgs(w.community.id), '--no-wait', '--json'], first);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      id: runId,
      status: 'PENDING_APPROVAL',
      totalCents: 4_250,
    });
  });

  it('has no bank files before approval', async () => {
    const early = await runInProcess(['settlement', 'export', runId, '--out', tempDir()], first);
    expect(early).toMatchObject({ code: 1, stderr: expect.stringContaining('[NOT_READY]') });
  });

  it('refuses the approval of the operator who started the run (four eyes)', async () => {
    const result = await runCli(['settlement', 'approve', runId], first);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[FORBIDDEN]');
    expect((await status(runId, first)).status).toBe('PENDING_APPROVAL');
  });

  it('is approved by a second operator logged in with their own session file', async () => {
    const colleague = await w.newOperator('second-operator');
    const login = await runInProcess(
      ['login', '--email', colleague.email, '--password', colleague.password],
      second,
    );
    expect(login.code, login.stderr).toBe(0);
    const result = await runCli(['settlement', 'approve', runId], second);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Run ${runId} APPROVED.`);
  });

  it('writes the pain.001 XML and the CSV', async () => {
    out = join(tempDir(), 'bank');
    const result = await runInProcess(['settlement', 'export', runId, '--out', out], first);
    expect(result.code, result.stderr).toBe(0);
    const xml = readFileSync(join(out, `${runId}.pain.001.xml`), 'utf8');
    expect(xml).toContain('pain.001.001.09');
    expect(xml).toContain('<NbOfTxs>1</NbOfTxs>');
    expect(xml).toContain('<CtrlSum>42.50</CtrlSum>');
    expect(xml).toMatch(/<InstdAmt Ccy="EUR">42\.50<\/InstdAmt>/);
    expect(xml).toContain('IT60X0542811101000000123456');
    const csv = readFileSync(join(out, `${runId}.csv`), 'utf8');
    expect(csv).toContain('Istituto Musicale Costa');
    expect(csv).toContain('42.50');
    expect(csv).toMatch(/TOTAL,.*42\.50/);
  });

  it('records the bank reference of the paid payout', async () => {
    const [payout] = (await status(runId, first)).payouts;
    expect(payout).toMatchObject({ status: 'APPROVED', amountCents: 4_250, redemptionCount: 2 });
    const paid = await runInProcess(['payout', 'paid', payout!.id, '--reference', 'BONIF-2026-001'], first);
    expect(paid.code, paid.stderr).toBe(0);
    expect(paid.stdout).toContain(`Payout ${payout!.id} PAID (bank reference BONIF-2026-001).`);
    expect((await status(runId, first)).payouts[0]?.status).toBe('PAID');
    expect((await runInProcess(['payout', 'paid', payout!.id], first)).code).toBe(2);
  });

  it('finds every ledger invariant holding afterwards', async () => {
    const result = await runInProcess(['ledger', 'check'], first);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('Ledger OK.');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^OK {6}\S/);
    expect(statSync(out).isDirectory()).toBe(true);
  });
});

describe('other outcomes', () => {
  it('settles a community with nothing to pay: approved, a CSV and no SEPA file', async () => {
    const run = await runInProcess([...runArgs(w.quietCommunity.slug), '--json'], first);
    expect(run.code, run.stderr).toBe(0);
    const { id, status: state, payouts } = JSON.parse(run.stdout) as SettlementRun;
    expect({ state, payouts }).toEqual({ state: 'PENDING_APPROVAL', payouts: [] });
    expect((await runInProcess(['settlement', 'approve', id], second)).code).toBe(0);
    const out = tempDir();
    const exported = await runInProcess(['settlement', 'export', id, '--out', out], first);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('No SEPA file');
    expect(readFileSync(join(out, `${id}.csv`), 'utf8')).toContain('TOTAL');
    expect(() => statSync(join(out, `${id}.pain.001.xml`))).toThrow();
  });

  it('answers an approved run again when it is approved twice', async () => {
    const run = await runInProcess([...runArgs(w.quietCommunity.slug), '--no-wait', '--json'], first);
    const { id } = JSON.parse(run.stdout) as SettlementRun;
    const again = await runInProcess(['settlement', 'approve', id], second);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining(`Run ${id} APPROVED.`) });
  });

  it('exits 2 for a malformed period end and 1 for an unknown community or run', async () => {
    const malformed = await runInProcess(
      ['settlement', 'run', '--community', 'vigevano', '--period-end', '30/11/2026'],
      first,
    );
    expect(malformed.code).toBe(2);
    const unknown = await runInProcess(runArgs('lodi'), first);
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('[NOT_FOUND]') });
    const missing = await runInProcess(
      ['settlement', 'status', '00000000-0000-4000-8000-000000000000'],
      first,
    );
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('[NOT_FOUND]') });
  });

  it('asks to log in first when there is no session', async () => {
    const result = await runInProcess(['ledger', 'check'], {
      MENTORING_GATEWAY: w.stack.gatewayUrl,
      MENTORING_OPS_CONFIG: join(tempDir(), 'none.json'),
    });
    expect(result).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('[UNAUTHENTICATED]: Not logged in'),
    });
  });

  // Last: it breaks funds' ledger on purpose.
  it('exits 1 and names the broken invariant when a stored balance is wrong', async () => {
    await w.fundsSql('UPDATE accounts SET credits_posted = credits_posted + 1 WHERE id = $1', [
      `provider:${w.provider.id}`,
    ]);
    const result = await runInProcess(['ledger', 'check'], first);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /FAILED {2}every stored balance equals the sum of its transfers {2}provider:/,
    );
    expect(result.stdout).toContain('Ledger check FAILED.');
  });
});
