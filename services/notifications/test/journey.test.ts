// A whole journey through the real gateway and the four real subgraphs, with
// the notifications worker consuming what funds' and redemption's outbox
// relays publish, and a real SMTP server in this process receiving the mail:
// contribution → issue → claim → redeem → validate → settle (run, approve, paid).
import { randomUUID } from 'node:crypto';
import { type Stack, startStack } from '@mentoring/stack';
import { createTestDatabase, graphqlClient, testRedis, waitFor } from '@mentoring/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createNotifications, type Notifications } from '../src/app';
import {
  ADD_MEMBER,
  APPROVE_SETTLEMENT_RUN,
  CLAIM_GRANT,
  CONFIRM_CONTRIBUTION,
  CREATE_COMMUNITY,
  CREATE_FUND,
  CREATE_OFFERING,
  CREATE_ORGANIZATION,
  CREATE_PROGRAM,
  GRANT_OPERATOR,
  ISSUE_GRANT,
  LOG_IN,
  MARK_PAYOUT_PAID,
  PUBLISH_OFFERING,
  RECORD_CONTRIBUTION,
  REDEEM,
  RUN_SETTLEMENT,
  SETTLEMENT_RUN,
  SIGN_UP,
  VALIDATE_REDEMPTION,
} from './helpers/contract';
import { type ReceivedMail, startSmtpServer, type TestSmtpServer } from './helpers/smtp';

const PASSWORD = 'a-long-password';
const SPONSOR_EMAIL = 'amministrazione@fondazione-lomellina.example.org';
const PROVIDER_EMAIL = 'segreteria@costa.example.org';
const RECIPIENT_EMAIL = 'luca.rossi@example.org';
const GUARDIAN_EMAIL = 'famiglia.rossi@example.org';
const HOLDER_EMAIL = 'luca@example.org';
const IBAN = 'IT60X0542811101000000123456';
const BANK_REFERENCE = 'SEPA-JOURNEY-0001';

/** Someone sixteen and a half: old enough to claim without a guardian. */
const birthDate = (() => {
  const d = new Date(Date.now() - 182 * 86_400_000);
  d.setUTCFullYear(d.getUTCFullYear() - 16);
  return d.toISOString().slice(0, 10);
})();
const today = () => new Date().toISOString().slice(0, 10);

let stack: Stack;
let smtp: TestSmtpServer;
let notifications: Notifications;
let gql: ReturnType<typeof graphqlClient>;

/** A GraphQL call through the gateway that must succeed. */
async function ok<D>(query: string, variables: Record<string, unknown>, token?: string): Promise<D> {
  const res = await gql<D>(query, variables, { token });
  if (res.errors || !res.data)
    throw new Error(`${query.slice(0, 50)}… → ${res.status} ${JSON.stringify(res.errors)}`);
  return res.data;
}

interface Session {
  id: string;
  email: string;
  token: string;
}

async function logIn(email: string, password = PASSWORD): Promise<Session> {
  const { logIn } = await ok<{ logIn: { token: string; user: { id: string; email: string } } }>(LOG_IN, {
    email,
    password,
  });
  return { id: logIn.user.id, email: logIn.user.email, token: logIn.token };
}

async function signUp(email: string, displayName: string): Promise<Session> {
  const { signUp } = await ok<{ signUp: { token: string; user: { id: string; email: string } } }>(SIGN_UP, {
    input: { email, password: PASSWORD, displayName },
  });
  return { id: signUp.user.id, email: signUp.user.email, token: signUp.token };
}

beforeAll(async () => {
  const { redisUrl, prefix } = testRedis('journey');
  smtp = await startSmtpServer();
  stack = await startStack({
    postgresUrl: inject('postgresUrl'),
    redisUrl,
    redisPrefix: prefix,
    label: 'journey',
    // Captures settle at once (production holds them 14 days).
    settlementHoldDays: 0,
  });
  notifications = await createNotifications({
    exactDatabaseUrl: await createTestDatabase('notifications_journey'),
    redisUrl,
    redisPrefix: stack.redisPrefix,
    smtpUrl: smtp.url,
    recipients: { identityUrl: stack.urls.identity, serviceTokenSecret: stack.serviceTokenSecret },
    concurrency: 2,
    retry: { attempts: 8, delayMs: 100 },
  });
  await notifications.listen({ port: 0 });
  gql = graphqlClient(stack.gatewayUrl);
}, 90_000);

afterAll(async () => {
  await notifications?.close();
  await stack?.close();
  await smtp?.stop();
});

/** The messages of one event type, for one envelope recipient. */
const mailsOf = (type: string, to: string): ReceivedMail[] =>
  smtp.to(to).filter((m) => m.headers.get('x-mentoring-event-type') === type);

describe('a whole journey, told by email', () => {
  it('sends each party its messages, in Italian, exactly once: contribution, issue, claim, redeem, validate, settle', async () => {
    // ---------------------------------------------------------------- set-up by the operator
    const operator = await logIn(stack.operator.email, stack.operator.password);
    const asOperator = <D>(query: string, variables: Record<string, unknown>) =>
      ok<D>(query, variables, operator.token);

    const { createCommunity } = await asOperator<{ createCommunity: { id: string } }>(CREATE_COMMUNITY, {
      input: { name: 'Lomellina', slug: `lomellina-${randomUUID().slice(0, 6)}` },
    });
    const communityId = createCommunity.id;
    const organization = async (input: Record<string, unknown>) =>
      (
        await asOperator<{ createOrganization: { id: string } }>(CREATE_ORGANIZATION, {
          input: { communityId, ...input },
        })
      ).createOrganization.id;
    const sponsorId = await organization({
      name: 'Fondazione Lomellina',
      kind: 'SPONSOR',
      email: SPONSOR_EMAIL,
    });
    const providerId = await organization({
      name: 'Istituto Musicale Costa',
      kind: 'PROVIDER',
      email: PROVIDER_EMAIL,
      iban: IBAN,
    });
    const schoolId = await organization({ name: 'Liceo Cairoli', kind: 'SCHOOL' });

    /** Signs a person up, makes them STAFF, and logs in again so the token carries the membership. */
    const staffOf = async (organizationId: string, email: string, name: string) => {
      await signUp(email, name);
      await asOperator(ADD_MEMBER, { input: { organizationId, email, role: 'STAFF' } });
      return logIn(email);
    };
    const teacher = await staffOf(schoolId, 'segreteria@cairoli.example.org', 'Segreteria Cairoli');
    const desk = await staffOf(providerId, 'cassa@costa.example.org', 'Cassa Costa');

    // A second operator, for the four-eyes approval of the settlement run.
    const second = await signUp('seconda.operatrice@mentoring.test', 'Seconda operatrice');
    await asOperator(GRANT_OPERATOR, { userId: second.id });
    const operatorB = await logIn(second.email);

    // ---------------------------------------------------------------- money in: fund, contribution, program
    const { createFund } = await asOperator<{ createFund: { id: string } }>(CREATE_FUND, {
      input: { communityId, name: 'Fondo Lomellina' },
    });
    const { recordContribution } = await asOperator<{ recordContribution: { id: string; status: string } }>(
      RECORD_CONTRIBUTION,
      {
        input: {
          fundId: createFund.id,
          sponsorOrganizationId: sponsorId,
          amountCents: 250_000,
          idempotencyKey: 'journey-contribution',
        },
      },
    );
    await asOperator(CONFIRM_CONTRIBUTION, { id: recordContribution.id });
    const { createProgram } = await asOperator<{ createProgram: { id: string } }>(CREATE_PROGRAM, {
      input: {
        fundId: createFund.id,
        name: 'Mentoring Estate',
        grantAmountCents: 8000,
        budgetCents: 100_000,
        spendDeadline: `${new Date().getUTCFullYear() + 1}-08-31`,
      },
    });

    const { createOffering } = await asOperator<{ createOffering: { id: string; title: string } }>(
      CREATE_OFFERING,
      {
        input: {
          providerOrganizationId: providerId,
          title: 'Corso di chitarra',
          category: 'music',
          priceCents: 8000,
          capacity: 10,
        },
      },
    );
    await asOperator(PUBLISH_OFFERING, { id: createOffering.id });

    // ---------------------------------------------------------------- issue (school staff)
    const { issueGrant } = await ok<{ issueGrant: { claimCode: string; grant: { id: string } } }>(
      ISSUE_GRANT,
      {
        input: {
          programId: createProgram.id,
          referrerOrganizationId: schoolId,
          idempotencyKey: 'journey-grant',
          recipient: {
            firstName: 'Luca',
            lastName: 'Rossi',
            birthDate,
            email: RECIPIENT_EMAIL,
            guardianEmail: GUARDIAN_EMAIL,
          },
        },
      },
      teacher.token,
    );
    const claimCode = issueGrant.claimCode;

    // ---------------------------------------------------------------- claim, with the code from the email
    const issuedMail = await waitFor(() => mailsOf('grant.issued', RECIPIENT_EMAIL)[0], {
      timeoutMs: 20_000,
      what: 'the grant.issued email',
    });
    const emailedCode = /Codice: ([0-9A-Z]{5}-[0-9A-Z]{5})/.exec(issuedMail.text)?.[1];
    expect(emailedCode).toBe(claimCode);
    const holder = await signUp(HOLDER_EMAIL, 'Luca');
    const { claimGrant } = await ok<{ claimGrant: { id: string; status: string; balanceCents: number } }>(
      CLAIM_GRANT,
      { code: emailedCode },
      holder.token,
    );
    expect(claimGrant).toMatchObject({ id: issueGrant.grant.id, status: 'ACTIVE', balanceCents: 8000 });

    // ---------------------------------------------------------------- redeem (holder), validate (provider desk)
    const { redeem } = await ok<{ redeem: { id: string; status: string; code: string } }>(
      REDEEM,
      { input: { grantId: claimGrant.id, offeringId: createOffering.id, idempotencyKey: randomUUID() } },
      holder.token,
    );
    expect(redeem.status).toBe('AUTHORIZED');
    const { validateRedemption } = await ok<{ validateRedemption: { id: string; status: string } }>(
      VALIDATE_REDEMPTION,
      { code: redeem.code },
      desk.token,
    );
    expect(validateRedemption).toMatchObject({ id: redeem.id, status: 'CONFIRMED' });

    // ---------------------------------------------------------------- settle: run (A), approve (B), paid
    const periodEnd = today();
    const { runSettlement } = await asOperator<{ runSettlement: { id: string } }>(RUN_SETTLEMENT, {
      input: { communityId, periodEnd, idempotencyKey: 'journey-run' },
    });
    interface Run {
      status: string;
      payouts: Array<{ id: string; amountCents: number; redemptionCount: number; provider: { id: string } }>;
    }
    const grouped = await waitFor(
      async () => {
        const { settlementRun } = await asOperator<{ settlementRun: Run }>(SETTLEMENT_RUN, {
          id: runSettlement.id,
        });
        return settlementRun.status === 'QUEUED' || settlementRun.status === 'RUNNING'
          ? undefined
          : settlementRun;
      },
      { timeoutMs: 20_000, intervalMs: 100, what: 'the settlement run to be grouped' },
    );
    expect(grouped.status).toBe('PENDING_APPROVAL');
    expect(grouped.payouts).toEqual([
      expect.objectContaining({
        amountCents: 8000,
        redemptionCount: 1,
        provider: expect.objectContaining({ id: providerId }),
      }),
    ]);
    const { approveSettlementRun } = await ok<{ approveSettlementRun: { status: string } }>(
      APPROVE_SETTLEMENT_RUN,
      { id: runSettlement.id },
      operatorB.token,
    );
    expect(approveSettlementRun.status).toBe('APPROVED');
    const { markPayoutPaid } = await asOperator<{ markPayoutPaid: { status: string } }>(MARK_PAYOUT_PAID, {
      id: grouped.payouts[0]!.id,
      bankReference: BANK_REFERENCE,
    });
    expect(markPayoutPaid.status).toBe('PAID');

    // ---------------------------------------------------------------- the mail
    const expected = [
      {
        type: 'contribution.received',
        to: SPONSOR_EMAIL,
        subject: 'Contributo ricevuto: € 2.500,00 per Fondo Lomellina',
        says: ['Gentile Fondazione Lomellina,', '€ 2.500,00', '«Fondo Lomellina»'],
      },
      {
        type: 'grant.issued',
        to: RECIPIENT_EMAIL,
        subject: 'Hai ricevuto una borsa Mentoring di € 80,00',
        says: ['Ciao Luca,', `Codice: ${claimCode}`],
      },
      {
        type: 'grant.issued',
        to: GUARDIAN_EMAIL,
        subject: 'Una borsa Mentoring di € 80,00 per Luca',
        says: ['Gentile genitore o tutore,', `Codice: ${claimCode}`],
      },
      {
        type: 'grant.claimed',
        to: HOLDER_EMAIL,
        subject: 'La tua borsa «Mentoring Estate» è attiva',
        says: ['Ciao Luca,', 'Saldo disponibile: € 80,00'],
      },
      {
        type: 'redemption.authorized',
        to: PROVIDER_EMAIL,
        subject: 'Nuovo acquisto con borsa: Corso di chitarra',
        says: ['Gentile Istituto Musicale Costa,', redeem.code, '€ 80,00'],
      },
      {
        type: 'redemption.confirmed',
        to: HOLDER_EMAIL,
        subject: 'Acquisto confermato: Corso di chitarra',
        says: ['Ciao Luca,', 'addebitati € 80,00'],
      },
      {
        type: 'payout.approved',
        to: PROVIDER_EMAIL,
        subject: 'Liquidazione approvata: € 80,00',
        says: ['Gentile Istituto Musicale Costa,', '1 riscatto convalidato'],
      },
      {
        type: 'payout.paid',
        to: PROVIDER_EMAIL,
        subject: 'Bonifico eseguito: € 80,00',
        says: ['Gentile Istituto Musicale Costa,', BANK_REFERENCE],
      },
    ];
    await waitFor(() => expected.every((e) => mailsOf(e.type, e.to).length > 0), {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: 'every message of the journey',
    });
    // Anything late (a duplicate, a retry) would arrive now.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const summary = (m: ReceivedMail) =>
      `${m.headers.get('x-mentoring-event-type')} → ${m.rcptTo.join(',')}: ${m.subject}`;
    expect(smtp.received.map(summary).sort()).toEqual(
      expected.map((e) => `${e.type} → ${e.to}: ${e.subject}`).sort(),
    );
    for (const entry of expected) {
      const [mail, ...others] = mailsOf(entry.type, entry.to);
      expect(others, `${entry.type} → ${entry.to}`).toHaveLength(0);
      expect(mail!.rcptTo).toEqual([entry.to]);
      expect(mail!.headers.get('content-language')).toBe('it');
      expect(mail!.html).toContain('<html lang="it">');
      for (const phrase of entry.says) expect(mail!.text, `${entry.type} → ${entry.to}`).toContain(phrase);
    }
    // One Message-ID per event and recipient.
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(expected.length);
    // The provider's code in the email is the one the holder shows at the desk.
    expect(mailsOf('redemption.authorized', PROVIDER_EMAIL)[0]!.html).toContain(redeem.code);
  }, 60_000);
});
