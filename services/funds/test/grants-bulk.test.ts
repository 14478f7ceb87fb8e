import { beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, type GrantWorld, recipient, startGrantWorld, unique } from './grant-world';

let w: GrantWorld;

beforeAll(async () => {
  w = await startGrantWorld('funds_bulk');
});

const ISSUE_GRANTS = `mutation ($input: IssueGrantsInput!) { issueGrants(input: $input) {
  batchId results { index claimCode grant { id status } error { code message } } } }`;

interface BatchData {
  issueGrants: {
    batchId: string;
    results: Array<{
      index: number;
      claimCode: string | null;
      grant: { id: string } | null;
      error: { code: string; message: string } | null;
    }>;
  };
}

describe('issuing grants in bulk on an Open Day', () => {
  it('issues each recipient on their own: some get codes, the others say why not', async () => {
    const { programId } = await w.program({ grantCents: 100, budgetCents: 400, maxAge: 17 });
    const twin = recipient(15);
    const recipients = [
      recipient(15, { email: 'anna@example.test' }),
      recipient(19),
      twin,
      twin,
      recipient(16),
      recipient(16),
    ];
    const input = {
      programId,
      referrerOrganizationId: w.school,
      idempotencyKey: unique('open-day'),
      recipients,
    };
    const { issueGrants } = await w.ok<BatchData>(ISSUE_GRANTS, { input }, w.schoolStaff.token);
    const { results } = issueGrants;
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results[1]!.error).toEqual({
      code: 'NOT_ELIGIBLE',
      message: 'The recipient is 19; this program is for ages up to 17.',
    });
    // The same person twice: only one of the two gets a grant.
    expect([results[2]!.error?.message, results[3]!.error?.message].sort()).toEqual([
      'This person already has a grant from this program.',
      undefined,
    ]);
    const issued = results.filter((r) => r.grant);
    expect(issued).toHaveLength(4);
    expect(new Set(issued.map((r) => r.claimCode)).size).toBe(4);
    expect(await w.remainingBudget(programId)).toBe(0);

    // Budget spent: a second batch gets INSUFFICIENT_FUNDS for everyone, with the reason.
    const late = await w.ok<BatchData>(
      ISSUE_GRANTS,
      { input: { ...input, idempotencyKey: unique('late'), recipients: [recipient(), recipient()] } },
      w.schoolStaff.token,
    );
    expect(late.issueGrants.results.map((r) => r.error?.code)).toEqual([
      'INSUFFICIENT_FUNDS',
      'INSUFFICIENT_FUNDS',
    ]);

    const retry = await w.ok<BatchData>(ISSUE_GRANTS, { input }, w.schoolStaff.token);
    expect(retry.issueGrants.batchId).toBe(issueGrants.batchId);
    const again = retry.issueGrants.results.filter((r) => r.grant);
    expect(again.map((r) => [r.grant!.id, r.claimCode])).toEqual(
      issued.map((r) => [r.grant!.id, r.claimCode]),
    );
    await w.expectLedgerClean();
  });

  it('refuses a reused key with other recipients, more than 500 recipients and referrers the program does not accept', async () => {
    const { programId } = await w.program({
      grantCents: 100,
      budgetCents: 1_000,
      referrerOrganizationIds: [w.school],
    });
    const key = unique('open-day');
    const input = (recipients: unknown[], referrerOrganizationId = w.school, idempotencyKey = key) => ({
      input: { programId, referrerOrganizationId, idempotencyKey, recipients },
    });
    await w.ok(ISSUE_GRANTS, input([recipient()]), w.schoolStaff.token);
    const codes = async (variables: unknown, token = w.schoolStaff.token) =>
      errorCodes(await w.gql(ISSUE_GRANTS, variables as Record<string, unknown>, { token }));
    expect(await codes(input([recipient()]))).toEqual(['IDEMPOTENCY_CONFLICT']);
    expect(
      await codes(
        input(
          Array.from({ length: 501 }, () => recipient()),
          w.school,
          unique('k'),
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(await codes(input([], w.school, unique('k')))).toEqual(['BAD_USER_INPUT']);
    expect(await codes(input([recipient()], w.agency, unique('k')), w.agencyStaff.token)).toEqual([
      'FORBIDDEN',
    ]);
  });
});

describe("the referrer desk's printable codes", () => {
  async function batch() {
    const { programId } = await w.program({ grantCents: 8_000, budgetCents: 16_000 });
    await w.db.query(`UPDATE programs SET name = '<b>Musica & "Teatro"</b>' WHERE id = $1`, [programId]);
    const { issueGrants } = await w.ok<BatchData>(
      ISSUE_GRANTS,
      {
        input: {
          programId,
          referrerOrganizationId: w.school,
          idempotencyKey: unique('print'),
          recipients: [recipient(), recipient()],
        },
      },
      w.schoolStaff.token,
    );
    return issueGrants;
  }

  const download = (path: string, token?: string) =>
    fetch(`${w.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it('are a CSV with one line per code, for the staff of the referrer that issued them', async () => {
    const { batchId, results } = await batch();
    const res = await download(`/exports/issued-codes/${batchId}.csv`, w.schoolStaff.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('line,grant_id,status,program,amount_cents,claim_code,expires_at');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3))).toEqual(
      results.map((r) => [String(r.index + 1), r.grant!.id, 'ISSUED']),
    );
    expect(lines[1]).toContain(`"<b>Musica & ""Teatro""</b>",8000,${results[0]!.claimCode},`);
  });

  it('are printable cut-out cards, one per code, with everything HTML-escaped', async () => {
    const { batchId, results } = await batch();
    const res = await download(`/exports/issued-codes/${batchId}.html`, w.schoolStaff.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html.match(/class="card"/g)).toHaveLength(2);
    for (const r of results) expect(html).toContain(r.claimCode!);
    expect(html).toContain('&lt;b&gt;Musica &amp; &quot;Teatro&quot;&lt;/b&gt;');
    expect(html).not.toContain('<b>Musica');
  });

  it('are refused to anyone else: no token, another referrer, operators, unknown batches', async () => {
    const { batchId } = await batch();
    expect((await download(`/exports/issued-codes/${batchId}.csv`)).status).toBe(401);
    expect((await download(`/exports/issued-codes/${batchId}.csv`, 'not-a-token')).status).toBe(401);
    expect((await download(`/exports/issued-codes/${batchId}.html`, w.agencyStaff.token)).status).toBe(403);
    expect((await download(`/exports/issued-codes/${batchId}.csv`, w.operator)).status).toBe(403);
    expect(
      (await download('/exports/issued-codes/00000000-0000-4000-8000-000000000000.csv', w.schoolStaff.token))
        .status,
    ).toBe(404);
    expect((await download(`/exports/issued-codes/${batchId}.pdf`, w.schoolStaff.token)).status).toBe(404);
  });
});

describe('grant.issued', () => {
  it('is written with the code when an email was given, and not at all otherwise', async () => {
    const { programId } = await w.program({ grantCents: 100, budgetCents: 1_000 });
    const { issueGrants } = await w.ok<BatchData>(
      ISSUE_GRANTS,
      {
        input: {
          programId,
          referrerOrganizationId: w.school,
          idempotencyKey: unique('mail'),
          recipients: [
            recipient(12, {
              firstName: 'Luca',
              lastName: unique('Bianchi'),
              guardianEmail: 'Mamma@Example.test',
            }),
            recipient(15),
          ],
        },
      },
      w.schoolStaff.token,
    );
    const [withMail, withoutMail] = issueGrants.results;
    const events = await w.events('grant.issued');
    const [event] = events.filter((e) => e.payload.grantId === withMail!.grant!.id);
    expect(event).toEqual({
      queue: 'notifications',
      payload: {
        grantId: withMail!.grant!.id,
        programName: 'Mentoring 2.1',
        amountCents: 100,
        claimCode: withMail!.claimCode,
        expiresAt: expect.stringMatching(/T23:59:59\.999Z$/),
        guardianEmail: 'mamma@example.test',
        beneficiaryFirstName: 'Luca',
      },
    });
    expect(events.filter((e) => e.payload.grantId === withoutMail!.grant!.id)).toEqual([]);
  });
});
