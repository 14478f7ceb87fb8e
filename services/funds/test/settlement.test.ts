import { randomUUID } from 'node:crypto';
import { createInternalClient, fundsApi } from '@mentoring/internal-api';
import { createServiceTokens } from '@mentoring/subgraph-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertRun } from '../src/db/settlement';
import { euros, payoutsCsv, sepaCreditTransfer, xmlText } from '../src/domain/settlement/files';
import { cutoffOf } from '../src/domain/settlement/rules';
import { processRun } from '../src/domain/settlement/settlement';
import { errorCodes } from './grant-world';
import { IBANS, type Run, type SettlementWorld, startSettlementWorld } from './settlement-world';
import { all, one, parseXml } from './xml';

let w: SettlementWorld;
beforeAll(async () => {
  w = await startSettlementWorld('funds_settlement');
});

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const today = () => new Date().toISOString().slice(0, 10);

describe('files', () => {
  it('formats cents as euros without floating point', () => {
    expect([0, 5, 99, 100, 8000, 123456789012].map(euros)).toEqual([
      '0.00',
      '0.05',
      '0.99',
      '1.00',
      '80.00',
      '1234567890.12',
    ]);
  });

  it('escapes markup and drops characters XML cannot carry', () => {
    expect(xmlText(`A&B <"x"> 'y'\u0001`)).toBe('A&amp;B &lt;&quot;x&quot;&gt; &apos;y&apos;');
    const xml = sepaCreditTransfer({
      messageId: 'MSG-1',
      createdAt: new Date('2025-01-02T03:04:05Z'),
      executionDate: '2025-01-03',
      debtor: { name: 'Fondo & Co <test>', iban: 'IT60 X054 2811 1010 0000 0123 456' },
      payments: [
        {
          payoutId: randomUUID(),
          amountCents: 1,
          creditorName: 'Scuola "Bella" & <Arte>',
          iban: IBANS[1]!,
          redemptionIds: ['r'.repeat(200)],
        },
      ],
    });
    const doc = parseXml(xml);
    expect(one(doc, 'Cdtr').children[0]!.text).toBe('Scuola "Bella" & <Arte>');
    expect(one(doc, 'Ustrd').text.length).toBeLessThanOrEqual(140);
    expect(one(doc, 'DbtrAcct').children[0]!.children[0]!.text).toBe('IT60X0542811101000000123456');
  });

  it('neutralizes spreadsheet formulas in the CSV', () => {
    const csv = payoutsCsv([
      {
        payoutId: 'p',
        providerId: 'o',
        providerName: '=HYPERLINK("x")',
        iban: IBANS[0]!,
        amountCents: 150,
        redemptionIds: ['a'],
      },
    ]);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv.trim().split('\r\n').at(-1)).toBe('TOTAL,,,,1.50,1,');
  });

  it('the XML check itself refuses malformed documents', () => {
    for (const bad of [
      '<a><b></a></b>',
      '<a>&nbsp;</a>',
      '<a x="1" x="2"/>',
      '<a>1 & 2</a>',
      '<a/><b/>',
      '<a>',
    ])
      expect(() => parseXml(bad), bad).toThrow();
  });

  it('the cutoff is the end of periodEnd, but never inside the hold', () => {
    const now = new Date('2025-03-20T10:00:00Z');
    expect(cutoffOf('2025-03-01', 14, now).toISOString()).toBe('2025-03-01T23:59:59.999Z');
    expect(cutoffOf('2025-03-19', 14, now).toISOString()).toBe('2025-03-06T10:00:00.000Z');
    expect(cutoffOf('2025-03-20', 0, now).toISOString()).toBe('2025-03-20T10:00:00.000Z');
  });
});

describe('a settlement run, from captures to paid', () => {
  let town: string;
  let costa: string;
  let teatro: string;
  let noIban: string;
  const captured: Record<string, { redemptionId: string; cents: number }[]> = {};
  let run: Run;
  let refundable: string;
  let voided: string;
  let authorizedOnly: string;

  beforeAll(async () => {
    town = await w.community('Vigevano Settle');
    costa = await w.provider(town, 'Istituto Musicale "Costa" & Figli', IBANS[0]!);
    teatro = await w.provider(town, 'Teatro Cagnoni', IBANS[1]!);
    noIban = await w.provider(town, 'Palestra senza IBAN', null);
    const plan: [string, number[]][] = [
      [costa, [8_000, 4_550, 1_999]],
      [teatro, [12_345, 1]],
      [noIban, [3_000, 2_000]],
    ];
    for (const [provider, amounts] of plan) {
      captured[provider] = [];
      for (const cents of amounts)
        captured[provider]!.push({ redemptionId: await w.capture(provider, cents), cents });
    }
    // Not in any payout: refunded before the run, voided, only authorized.
    refundable = await w.capture(costa, 700);
    const internal = createInternalClient({
      tokens: createServiceTokens(w.secret, 'redemption'),
      urls: { funds: w.url },
    });
    await internal(fundsApi.refundPayment, { redemptionId: refundable });
    const { grantId } = await w.grant();
    voided = randomUUID();
    await internal(fundsApi.authorizePayment, {
      redemptionId: voided,
      grantId,
      providerId: costa,
      offeringId: 'o',
      category: 'music',
      amountCents: 100,
    });
    await internal(fundsApi.voidPayment, { redemptionId: voided });
    authorizedOnly = randomUUID();
    await internal(fundsApi.authorizePayment, {
      redemptionId: authorizedOnly,
      grantId,
      providerId: teatro,
      offeringId: 'o',
      category: 'music',
      amountCents: 100,
    });
  });

  it('groups captured payments into one payout per provider and reports providers without an IBAN', async () => {
    const queued = await w.startRun(town);
    expect(['QUEUED', 'RUNNING', 'PENDING_APPROVAL']).toContain(queued.status);
    run = await w.settled(queued.id);
    expect(run.status).toBe('PENDING_APPROVAL');
    const byProvider = Object.fromEntries(run.payouts.map((p) => [p.provider.id, p]));
    expect(Object.keys(byProvider).sort()).toEqual([costa, teatro].sort());
    for (const provider of [costa, teatro]) {
      expect(byProvider[provider]).toMatchObject({
        status: 'PENDING_APPROVAL',
        amountCents: sum(captured[provider]!.map((c) => c.cents)),
        redemptionCount: captured[provider]!.length,
      });
    }
    expect(run.totalCents).toBe(8_000 + 4_550 + 1_999 + 12_345 + 1);
    expect(run.skippedProviders).toEqual([
      { provider: { id: noIban }, reason: 'NO_IBAN', amountCents: 5_000 },
    ]);
    expect(run.sepaXml).toBeNull();
    expect(run.csv).toBeNull();
    // The run's job came through the outbox.
    const jobs = await w.db.query<{ payload: { runId: string } }>(
      "SELECT payload FROM outbox WHERE queue = 'settlement' AND type = 'settlement.run'",
    );
    expect(jobs.map((j) => j.payload.runId)).toContain(run.id);
  });

  it('shows a payment as CAPTURED (with its payout) while the run awaits approval', async () => {
    const [payment] = await payments([captured[costa]![0]!.redemptionId]);
    expect(payment).toEqual({
      status: 'CAPTURED',
      payoutId: run.payouts.find((p) => p.provider.id === costa)!.id,
    });
  });

  it('needs a second operator to approve', async () => {
    const res = await w.approve(run.id, w.operator);
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(res.errors?.[0]?.message).toBe('Another operator must approve this run.');
    expect((await w.run(run.id)).status).toBe('PENDING_APPROVAL');
  });

  it('refuses non-operators everywhere', async () => {
    const someone = await w.signUp('curious');
    for (const query of [
      ['query ($id: ID!) { settlementRun(id: $id) { id } }', { id: run.id }],
      ['query ($id: ID!) { settlementRuns(communityId: $id) { id } }', { id: town }],
      ['mutation ($id: ID!) { approveSettlementRun(id: $id) { id } }', { id: run.id }],
      ['query { ledgerCheck { ok } }', {}],
    ] as const)
      expect(errorCodes(await w.gql(query[0], query[1], { token: someone.token }))).toEqual(['FORBIDDEN']);
  });

  it('approval posts the payouts and writes a SEPA file and a CSV that add up', async () => {
    const res = await w.approve(run.id);
    expect(res.errors).toBeUndefined();
    const approved = res.data!.approveSettlementRun;
    expect(approved.status).toBe('APPROVED');
    expect(approved.approvedBy).not.toBe(approved.createdBy);
    expect(approved.payouts.every((p) => p.status === 'APPROVED')).toBe(true);

    const transfers = await w.db.query<{
      debit_account: string;
      credit_account: string;
      amount_cents: string;
      idempotency_key: string;
    }>(
      "SELECT debit_account, credit_account, amount_cents, idempotency_key FROM transfers WHERE kind = 'PAYOUT'",
    );
    for (const p of approved.payouts)
      expect(transfers).toContainEqual({
        debit_account: `provider:${p.provider.id}`,
        credit_account: 'payouts',
        amount_cents: String(p.amountCents),
        idempotency_key: `payout:${p.id}`,
      });

    const doc = parseXml(approved.sepaXml!);
    expect(doc.name).toBe('Document');
    expect(doc.attributes.xmlns).toBe('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');
    const header = one(doc, 'GrpHdr');
    const txs = all(doc, 'CdtTrfTxInf');
    expect(one(header, 'NbOfTxs').text).toBe(String(approved.payouts.length));
    expect(txs).toHaveLength(approved.payouts.length);
    expect(one(header, 'CtrlSum').text).toBe(euros(approved.totalCents));
    expect(one(one(doc, 'PmtInf'), 'PmtMtd').text).toBe('TRF');
    const cents = txs.map((tx) => {
      const amount = one(tx, 'InstdAmt');
      expect(amount.attributes.Ccy).toBe('EUR');
      expect(amount.text).toMatch(/^\d+\.\d{2}$/);
      return Number(amount.text.replace('.', ''));
    });
    expect(sum(cents)).toBe(approved.totalCents);
    const costaTx = txs.find(
      (tx) => one(tx, 'Cdtr').children[0]!.text === 'Istituto Musicale "Costa" & Figli',
    )!;
    const costaPayout = approved.payouts.find((p) => p.provider.id === costa)!;
    expect(one(costaTx, 'EndToEndId').text).toBe(costaPayout.id.replace(/-/g, ''));
    expect(one(costaTx, 'EndToEndId').text.length).toBeLessThanOrEqual(35);
    expect(one(costaTx, 'IBAN').text).toBe(IBANS[0]);
    for (const c of captured[costa]!)
      expect(one(costaTx, 'Ustrd').text).toContain(c.redemptionId.slice(0, 8));

    const lines = approved.csv!.trim().split('\r\n');
    expect(lines[0]).toBe(
      'payout_id,provider_id,provider_name,iban,amount_eur,redemption_count,redemption_ids',
    );
    const body = lines.slice(1, -1).map((l) => l.split(','));
    expect(body).toHaveLength(approved.payouts.length);
    const total = lines.at(-1)!.split(',');
    expect(total[0]).toBe('TOTAL');
    expect(total[4]).toBe(euros(approved.totalCents));
    expect(sum(body.map((r) => Number(r.at(-3)!.replace('.', ''))))).toBe(approved.totalCents);
    expect(Number(total[5])).toBe(sum(approved.payouts.map((p) => p.redemptionCount)));

    const approvedEvents = await w.events('payout.approved');
    for (const p of approved.payouts)
      expect(approvedEvents.map((e) => e.payload)).toContainEqual({
        payoutId: p.id,
        providerId: p.provider.id,
        amountCents: p.amountCents,
        redemptionCount: p.redemptionCount,
        periodEnd: today(),
      });
    await w.expectLedgerClean();
    run = approved;
  });

  it('approving again returns the run as it is', async () => {
    const again = await w.approve(run.id);
    expect(again.data?.approveSettlementRun.status).toBe('APPROVED');
    const [{ n }] = (await w.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM transfers WHERE kind = 'PAYOUT' AND metadata ->> 'runId' = $1",
      [run.id],
    )) as [{ n: string }];
    expect(Number(n)).toBe(run.payouts.length);
  });

  it('serves the files over HTTP to operators only', async () => {
    const get = (file: string, token?: string) =>
      fetch(`${w.url}/settlement-runs/${run.id}/${file}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    expect((await get('sepa.xml')).status).toBe(401);
    expect((await get('sepa.xml', (await w.signUp('nosy')).token)).status).toBe(403);
    const xml = await get('sepa.xml', w.operator);
    expect(xml.status).toBe(200);
    expect(xml.headers.get('content-type')).toContain('application/xml');
    expect(await xml.text()).toBe(run.sepaXml);
    const csv = await get('payouts.csv', w.operator);
    expect(await csv.text()).toBe(run.csv);
    expect((await get('other.txt', w.operator)).status).toBe(404);
    expect(
      (
        await fetch(`${w.url}/settlement-runs/${randomUUID()}/sepa.xml`, {
          headers: { authorization: `Bearer ${w.operator}` },
        })
      ).status,
    ).toBe(404);
  });

  it('shows payment statuses on redemptions', async () => {
    const costaPayout = run.payouts.find((p) => p.provider.id === costa)!;
    expect(
      await payments([
        captured[costa]![1]!.redemptionId,
        refundable,
        voided,
        authorizedOnly,
        captured[noIban]![0]!.redemptionId,
        randomUUID(),
      ]),
    ).toEqual([
      { status: 'SETTLED', payoutId: costaPayout.id },
      { status: 'REFUNDED', payoutId: null },
      { status: 'VOIDED', payoutId: null },
      { status: 'AUTHORIZED', payoutId: null },
      { status: 'CAPTURED', payoutId: null },
      null,
    ]);
  });

  it('shows a payment to the provider staff and the holder, not to others', async () => {
    const holder = await w.signUp('holder');
    const { grantId } = await w.grant(holder.id);
    const redemptionId = await w.capture(teatro, 500, grantId);
    const staff = await w.joins(await w.signUp('teatro-staff'), teatro);
    const otherStaff = await w.joins(await w.signUp('costa-staff'), costa);
    expect(await payments([redemptionId], holder.token)).toEqual([{ status: 'CAPTURED', payoutId: null }]);
    expect(await payments([redemptionId], staff.token)).toEqual([{ status: 'CAPTURED', payoutId: null }]);
    expect(await payments([redemptionId], otherStaff.token)).toEqual([null]);

    // Grant visibility: the provider paid from the grant reads id and balance only.
    const grantQuery = (fields: string) =>
      w.gql<{ _entities: { id: string; balanceCents: number }[] }>(
        `query ($id: ID!) { _entities(representations: [{ __typename: "Grant", id: $id }]) { ... on Grant { ${fields} } } }`,
        { id: grantId },
        { token: staff.token },
      );
    const seen = await grantQuery('id balanceCents');
    expect(seen.errors).toBeUndefined();
    expect(seen.data!._entities[0]).toEqual({ id: grantId, balanceCents: 100_000 - 500 });
    expect(errorCodes(await grantQuery('id status'))).toEqual(['FORBIDDEN']);
    const other = await w.gql(
      'query ($id: ID!) { _entities(representations: [{ __typename: "Grant", id: $id }]) { ... on Grant { id balanceCents } } }',
      { id: grantId },
      { token: otherStaff.token },
    );
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
  });

  it('refuses to refund a settled payment', async () => {
    const internal = createInternalClient({
      tokens: createServiceTokens(w.secret, 'redemption'),
      urls: { funds: w.url },
    });
    await expect(
      internal(fundsApi.refundPayment, { redemptionId: captured[costa]![0]!.redemptionId }),
    ).rejects.toMatchObject({
      extensions: { code: 'ALREADY_FINAL' },
      message: 'This payment was already settled.',
    });
  });

  it('marks a payout paid once, with its bank reference', async () => {
    const payout = run.payouts.find((p) => p.provider.id === teatro)!;
    const mark = (ref: string) =>
      w.gql<{ markPayoutPaid: { id: string; status: string; bankReference: string } }>(
        'mutation ($id: ID!, $ref: String!) { markPayoutPaid(id: $id, bankReference: $ref) { id status bankReference } }',
        { id: payout.id, ref },
        { token: w.operator },
      );
    expect((await mark('BANK-REF-1')).data?.markPayoutPaid).toEqual({
      id: payout.id,
      status: 'PAID',
      bankReference: 'BANK-REF-1',
    });
    expect((await mark('BANK-REF-1')).data?.markPayoutPaid.status).toBe('PAID');
    expect(errorCodes(await mark('BANK-REF-2'))).toEqual(['ALREADY_FINAL']);
    const paidEvents = (await w.events('payout.paid')).filter((e) => e.payload.payoutId === payout.id);
    expect(paidEvents.map((e) => e.payload)).toEqual([
      {
        payoutId: payout.id,
        providerId: teatro,
        amountCents: payout.amountCents,
        bankReference: 'BANK-REF-1',
      },
    ]);
    const failed = await w.gql(
      'mutation ($id: ID!) { markPayoutFailed(id: $id, reason: "x") { id } }',
      { id: payout.id },
      { token: w.operator },
    );
    expect(errorCodes(failed)).toEqual(['ALREADY_FINAL']);
  });

  it('a failed payout gives the money back to the provider and the next run pays it again', async () => {
    const payout = run.payouts.find((p) => p.provider.id === costa)!;
    const before = await providerBalance(costa);
    const res = await w.gql<{ markPayoutFailed: { status: string } }>(
      'mutation ($id: ID!) { markPayoutFailed(id: $id, reason: "IBAN closed") { status } }',
      { id: payout.id },
      { token: w.operator },
    );
    expect(res.data?.markPayoutFailed.status).toBe('FAILED');
    expect(await providerBalance(costa)).toBe(before + payout.amountCents);
    expect((await payments([captured[costa]![0]!.redemptionId]))[0]).toEqual({
      status: 'CAPTURED',
      payoutId: null,
    });

    const next = await w.settled((await w.startRun(town)).id);
    const again = next.payouts.find((p) => p.provider.id === costa)!;
    expect(again).toMatchObject({ amountCents: payout.amountCents, redemptionCount: payout.redemptionCount });
    // Teatro's new capture (from the visibility test) is paid; its earlier ones are not paid twice.
    expect(next.payouts.find((p) => p.provider.id === teatro)?.amountCents).toBe(500);
    expect(next.skippedProviders).toEqual([
      { provider: { id: noIban }, reason: 'NO_IBAN', amountCents: 5_000 },
    ]);
    await w.expectLedgerClean();
  });

  async function providerBalance(id: string) {
    const [row] = await w.db.query<{ b: string }>(
      'SELECT credits_posted - debits_posted AS b FROM accounts WHERE id = $1',
      [`provider:${id}`],
    );
    return Number(row!.b);
  }
});

async function payments(redemptionIds: string[], token = w.operator) {
  const res = await w.gql<{ _entities: { payment: unknown }[] }>(
    'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Redemption { payment { status payoutId } } } }',
    { r: redemptionIds.map((id) => ({ __typename: 'Redemption', id })) },
    { token },
  );
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!._entities.map((e) => e.payment);
}

describe('running settlement', () => {
  it('is idempotent on its key; the same key with another input is a conflict', async () => {
    const town = await w.community();
    const key = `run-${randomUUID()}`;
    const first = await w.startRun(town, key);
    const again = await w.startRun(town, key);
    expect(again.id).toBe(first.id);
    const other = await w.gql(
      'mutation ($input: RunSettlementInput!) { runSettlement(input: $input) { id } }',
      { input: { communityId: await w.community(), periodEnd: today(), idempotencyKey: key } },
      { token: w.operator },
    );
    expect(errorCodes(other)).toEqual(['IDEMPOTENCY_CONFLICT']);
    const future = await w.gql(
      'mutation ($input: RunSettlementInput!) { runSettlement(input: $input) { id } }',
      { input: { communityId: town, periodEnd: '2999-01-01', idempotencyKey: `run-${randomUUID()}` } },
      { token: w.operator },
    );
    expect(errorCodes(future)).toEqual(['BAD_USER_INPUT']);
    const [{ n }] = (await w.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM outbox WHERE type = 'settlement.run' AND payload ->> 'runId' = $1",
      [first.id],
    )) as [{ n: string }];
    expect(Number(n)).toBe(1);
    await w.settled(first.id);
  });

  it('leaves captures younger than the hold period for a later run', async () => {
    const town = await w.community();
    const provider = await w.provider(town, 'Cinema Odeon', IBANS[2]!);
    const old = await w.capture(provider, 1_000);
    await w.capture(provider, 2_000);
    // Backdate one capture past a 14-day hold.
    await w.db.query(
      "UPDATE transfers SET created_at = created_at - interval '20 days' WHERE idempotency_key = $1",
      [`capture:${old}`],
    );
    const runId = randomUUID();
    await insertRun(w.db, {
      id: runId,
      communityId: town,
      periodEnd: today(),
      idempotencyKey: runId,
      createdBy: 'op',
    });
    const directory = async (ids: string[]) =>
      ids.includes(provider)
        ? [{ id: provider, communityId: town, kind: 'PROVIDER', name: 'Cinema', iban: IBANS[2]! }]
        : [];
    const result = await processRun(w.db, runId, { directory, holdDays: 14 });
    expect(result.status).toBe('PENDING_APPROVAL');
    const settledRun = await w.run(runId);
    expect(settledRun.payouts.map((p) => [p.amountCents, p.redemptionCount])).toEqual([[1_000, 1]]);
    // Processing it again changes nothing.
    await processRun(w.db, runId, { directory, holdDays: 0 });
    expect((await w.run(runId)).payouts.map((p) => p.amountCents)).toEqual([1_000]);
  });

  it('two runs at once never claim the same capture', async () => {
    const town = await w.community();
    const providers = await Promise.all([0, 1, 2].map((i) => w.provider(town, `P${i}`, IBANS[i]!)));
    let total = 0;
    for (let i = 0; i < 24; i++) {
      await w.capture(providers[i % 3]!, 100 + i);
      total += 100 + i;
    }
    const [a, b] = await Promise.all([w.startRun(town), w.startRun(town)]);
    const runs = await Promise.all([w.settled(a.id), w.settled(b.id)]);
    const payouts = runs.flatMap((r) => r.payouts);
    expect(sum(payouts.map((p) => p.amountCents))).toBe(total);
    expect(sum(payouts.map((p) => p.redemptionCount))).toBe(24);
    const dupes = await w.db.query(
      'SELECT transfer_id FROM payout_items WHERE released_at IS NULL GROUP BY transfer_id HAVING count(*) > 1',
    );
    expect(dupes).toEqual([]);
  });

  it('two approvals at once post each payout once', async () => {
    const town = await w.community();
    const provider = await w.provider(town, 'Museo', IBANS[0]!);
    await w.capture(provider, 4_200);
    const run = await w.settled((await w.startRun(town)).id);
    const results = await Promise.all([w.approve(run.id), w.approve(run.id), w.approve(run.id)]);
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
    expect(results.map((r) => r.data!.approveSettlementRun.status)).toEqual([
      'APPROVED',
      'APPROVED',
      'APPROVED',
    ]);
    const posted = await w.db.query(
      "SELECT id FROM transfers WHERE kind = 'PAYOUT' AND metadata ->> 'runId' = $1",
      [run.id],
    );
    expect(posted).toHaveLength(1);
    const events = (await w.events('payout.approved')).filter(
      (e) => e.payload.payoutId === run.payouts[0]!.id,
    );
    expect(events).toHaveLength(1);
    const files = await w.db.query('SELECT run_id FROM settlement_files WHERE run_id = $1', [run.id]);
    expect(files).toHaveLength(1);
  });

  it('reports the ledger check to operators', async () => {
    const { ledgerCheck } = await w.ok<{
      ledgerCheck: { ok: boolean; invariants: { name: string; ok: boolean; details: string | null }[] };
    }>('query { ledgerCheck { ok invariants { name ok details } } }', {});
    expect(ledgerCheck.ok).toBe(true);
    expect(ledgerCheck.invariants.length).toBeGreaterThanOrEqual(6);
    expect(ledgerCheck.invariants.every((i) => i.ok && i.details === null)).toBe(true);
  });
});
