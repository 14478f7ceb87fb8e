import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ledgerCheck } from '../src/commands/ledger';
import { markPayoutPaid } from '../src/commands/payout';
import {
  approveSettlement,
  defaultRunKey,
  exportSettlement,
  runSettlement,
  settlementStatus,
} from '../src/commands/settlement';
import { saveSession } from '../src/session';
import { FAKE_TOKEN, type FakeSettlementApi, startFakeSettlementApi } from './fake-settlement-api';
import { runInProcess, tempDir, testContext } from './helpers';

// TODO(settlement): run these against startStack once the settlement API composes.
let api: FakeSettlementApi;
let configPath: string;

beforeAll(async () => {
  api = await startFakeSettlementApi();
  configPath = join(tempDir(), 'ops.json');
  await saveSession(configPath, api.url, {
    email: 'ops@mentoring.test',
    token: FAKE_TOKEN,
    refreshToken: 'r',
  });
});
afterAll(() => api?.close());
beforeEach(() => {
  api.script = ['QUEUED', 'RUNNING', 'RUNNING', 'PENDING_APPROVAL'];
});

const signedIn = (json = false) => testContext({ gatewayUrl: api.url, configPath, json });
const env = () => ({ MENTORING_GATEWAY: api.url, MENTORING_OPS_CONFIG: configPath });

async function startedRun(): Promise<string> {
  const { ctx, printed } = signedIn(true);
  expect(await runSettlement(['--community', 'vigevano', '--period-end', '2026-11-30'], ctx)).toBe(0);
  return JSON.parse(printed.stdout).id;
}

describe('npm run ops -- settlement run', () => {
  it('starts a run for a community by slug and follows it until it waits for approval', async () => {
    const { ctx, printed } = signedIn();
    const code = await runSettlement(['--community', 'vigevano', '--period-end', '2026-11-30'], ctx);
    expect(code).toBe(0);
    expect(api.runInputs.at(-1)).toEqual({
      communityId: 'c-1',
      periodEnd: '2026-11-30',
      idempotencyKey: defaultRunKey('c-1', '2026-11-30'),
    });
    expect(printed.stderr).toMatch(/RUNNING/);
    expect(printed.stdout).toMatch(/PENDING_APPROVAL\s+period end 2026-11-30\s+total €240\.00/);
    expect(printed.stdout).toMatch(/Istituto Musicale Costa\s+2\s+€160\.00\s+PENDING_APPROVAL/);
  });

  it('asks for the same run twice with the same derived key, and takes a key when given', async () => {
    await runSettlement(['--community', 'c-1', '--period-end', '2026-11-30', '--no-wait'], signedIn().ctx);
    await runSettlement(
      ['--community', 'c-1', '--period-end', '2026-11-30', '--key', 'k-7', '--no-wait'],
      signedIn().ctx,
    );
    const [derived, given] = api.runInputs.slice(-2);
    expect(derived?.idempotencyKey).toBe(defaultRunKey('c-1', '2026-11-30'));
    expect(given?.idempotencyKey).toBe('k-7');
  });

  it('exits 1 when the run fails', async () => {
    api.script = ['RUNNING', 'FAILED'];
    const result = await runInProcess(
      ['settlement', 'run', '--community', 'vigevano', '--period-end', '2026-11-30'],
      env(),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('FAILED');
  });

  it('exits 2 for a malformed period end and 1 for an unknown community', async () => {
    const malformed = await runInProcess(
      ['settlement', 'run', '--community', 'vigevano', '--period-end', '30/11/2026'],
      env(),
    );
    expect(malformed.code).toBe(2);
    const unknown = await runInProcess(
      ['settlement', 'run', '--community', 'pavia', '--period-end', '2026-11-30'],
      env(),
    );
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('[NOT_FOUND]') });
  });
});

describe('after a run', () => {
  it('shows its status as JSON for scripts', async () => {
    const id = await startedRun();
    const { ctx, printed } = signedIn(true);
    expect(await settlementStatus([id], ctx)).toBe(0);
    expect(JSON.parse(printed.stdout)).toMatchObject({ id, status: 'PENDING_APPROVAL', totalCents: 24_000 });
  });

  it('has no bank files before approval, then writes the pain.001 XML and the CSV', async () => {
    const id = await startedRun();
    const out = tempDir();
    const early = await runInProcess(['settlement', 'export', id, '--out', out], env());
    expect(early).toMatchObject({ code: 1, stderr: expect.stringContaining('[NOT_READY]') });

    const { ctx, printed } = signedIn();
    expect(await approveSettlement([id], ctx)).toBe(0);
    expect(printed.stdout).toContain(`Run ${id} APPROVED.`);
    expect(await exportSettlement([id, '--out', out], signedIn().ctx)).toBe(0);
    expect(readFileSync(join(out, `${id}.pain.001.xml`), 'utf8')).toContain(`<MsgId>${id}</MsgId>`);
    expect(readFileSync(join(out, `${id}.csv`), 'utf8')).toContain('Istituto Musicale Costa,16000');
  });

  it('shows the API error code when approving twice', async () => {
    const id = await startedRun();
    await approveSettlement([id], signedIn().ctx);
    const again = await runInProcess(['settlement', 'approve', id], env());
    expect(again).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('[ALREADY_FINAL]: The run is APPROVED.'),
    });
  });

  it('records the bank reference of a paid payout', async () => {
    const { ctx, printed } = signedIn();
    expect(await markPayoutPaid(['p-1', '--reference', 'BONIF-2026-001'], ctx)).toBe(0);
    expect(printed.stdout).toContain('Payout p-1 PAID (bank reference BONIF-2026-001).');
    expect((await runInProcess(['payout', 'paid', 'p-1'], env())).code).toBe(2);
  });
});

describe('npm run ops -- ledger check', () => {
  it('prints every invariant and exits 0 when all hold', async () => {
    const { ctx, printed } = signedIn();
    expect(await ledgerCheck([], ctx)).toBe(0);
    expect(printed.stdout).toContain('OK      posted balances sum to zero');
  });

  it('exits 1 and names the broken invariant when one fails', async () => {
    api.ledger = {
      ok: false,
      invariants: [
        { name: 'stored balances match transfers', ok: false, details: 'provider:o-1 off by 500' },
      ],
    };
    const { ctx, printed } = signedIn();
    expect(await ledgerCheck([], ctx)).toBe(1);
    expect(printed.stdout).toContain('FAILED  stored balances match transfers  provider:o-1 off by 500');
  });

  it('asks to log in first when there is no session', async () => {
    const result = await runInProcess(['ledger', 'check'], {
      MENTORING_GATEWAY: api.url,
      MENTORING_OPS_CONFIG: join(tempDir(), 'none.json'),
    });
    expect(result).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('[UNAUTHENTICATED]: Not logged in'),
    });
  });
});
