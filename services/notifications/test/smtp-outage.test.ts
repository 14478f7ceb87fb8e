import { freePort, testRedis, waitFor } from '@mentoring/testing';
import { describe, expect, it } from 'vitest';
import { listDeliveries } from '../src/db/deliveries';
import { directory } from './helpers/fixtures';
import {
  addEvent,
  event,
  notificationsQueue,
  settle,
  startNotifications,
  waitForJob,
} from './helpers/harness';
import { directoryOf } from './helpers/identity';
import { startSmtpServer } from './helpers/smtp';

const { redisUrl, prefix } = testRedis('notifications_smtp');
// A port picked up front, so the server can come back where the worker looks for it.
const smtp = await startSmtpServer(await freePort());
const notifications = await startNotifications({
  label: 'notifications_smtp',
  redisUrl,
  redisPrefix: prefix,
  smtpUrl: smtp.url,
  recipients: directoryOf(directory),
  concurrency: 3,
  // 5 attempts, 100 ms doubling: a job gives up about 1.5 s after its first failure.
  retry: { attempts: 5, delayMs: 100 },
  smtpTimeoutsMs: { connection: 1000, greeting: 1000, socket: 2000 },
});
const queue = notificationsQueue(redisUrl, prefix);

const claimed = (n: number) =>
  event(`aaaaaaaa-0000-4000-8000-${String(n).padStart(12, '0')}`, 'grant.claimed', {
    grantId: `grant-${n}`,
    programName: `Programma ${n}`,
    holderUserId: n % 2 ? 'user-giulia' : 'user-sam',
    balanceCents: 1000 + n,
  });
const mailsOf = (eventId: string) =>
  smtp.received.filter((m) => m.headers.get('x-mentoring-event-id') === eventId);

describe('SMTP outage', () => {
  it('delivers every message exactly once after the SMTP server comes back', async () => {
    const warmup = claimed(0);
    await addEvent(queue, warmup);
    await waitForJob(queue, warmup.id);

    await smtp.stop();
    const events = [1, 2, 3, 4, 5].map(claimed);
    for (const e of events) await addEvent(queue, e);
    // Every event fails at least once while the server is away, and the failures are recorded.
    await waitFor(
      async () => {
        const rows = await Promise.all(events.map((e) => listDeliveries(notifications.db, e.id)));
        return rows.every((r) => r[0]?.status === 'failed');
      },
      { what: 'failed attempts recorded' },
    );
    expect(smtp.received.length).toBe(1);

    await smtp.start();
    for (const e of events) await waitForJob(queue, e.id);
    await settle();
    for (const e of [warmup, ...events]) expect(mailsOf(e.id), e.id).toHaveLength(1);
    for (const e of events) {
      const [row] = await listDeliveries(notifications.db, e.id);
      expect(row?.status).toBe('sent');
      expect(row?.attempts).toBeGreaterThan(1);
      expect(row?.lastError).toBeNull();
    }
  });

  it('retries only the recipient that failed: the one already served gets nothing twice', async () => {
    const issued = event('bbbbbbbb-0000-4000-8000-000000000001', 'grant.issued', {
      grantId: 'grant-issued',
      programName: 'Mentoring 2.1',
      amountCents: 8000,
      claimCode: 'Q1W2-E3R4T',
      expiresAt: '2025-06-30',
      email: 'marco@example.org',
      guardianEmail: 'mamma.marco@example.org',
      beneficiaryFirstName: 'Marco',
    });
    let refusals = 0;
    smtp.refuse = (address) => address === 'mamma.marco@example.org' && ++refusals <= 2;
    await addEvent(queue, issued);
    await waitForJob(queue, issued.id);
    smtp.refuse = undefined;

    const mails = mailsOf(issued.id);
    expect(mails.map((m) => m.rcptTo[0]).sort()).toEqual(['mamma.marco@example.org', 'marco@example.org']);
    const rows = await listDeliveries(notifications.db, issued.id);
    expect(rows.find((r) => r.recipient === 'marco@example.org')).toMatchObject({
      status: 'sent',
      attempts: 1,
    });
    expect(rows.find((r) => r.recipient === 'mamma.marco@example.org')).toMatchObject({
      status: 'sent',
      attempts: 3,
    });
    expect((await queue.getJob(issued.id))?.attemptsMade).toBe(3); // two failed, one that completed
  });

  it('after the last attempt the job stays in the failed set, and a manual retry delivers it', async () => {
    const paid = event('cccccccc-0000-4000-8000-000000000001', 'payout.paid', {
      payoutId: 'payout-9',
      providerId: 'org-costa',
      amountCents: 8000,
      bankReference: 'BANK-REF-9',
    });
    smtp.refuse = () => true;
    await addEvent(queue, paid); // the relay's options (8 attempts from 1 s); the worker's policy wins
    await waitForJob(queue, paid.id, 'failed');
    const failed = await queue.getJob(paid.id);
    expect(failed?.attemptsMade).toBe(5);
    expect(failed?.failedReason).toContain('1 of 1 messages not sent');
    expect((await listDeliveries(notifications.db, paid.id))[0]).toMatchObject({
      status: 'failed',
      attempts: 5,
    });

    smtp.refuse = undefined;
    await failed?.retry('failed');
    await waitForJob(queue, paid.id);
    expect(mailsOf(paid.id)).toHaveLength(1);
    expect((await listDeliveries(notifications.db, paid.id))[0]).toMatchObject({
      status: 'sent',
      attempts: 6,
    });
  });
});
