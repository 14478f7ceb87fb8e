import { testRedis, waitFor } from '@mentoring/testing';
import { describe, expect, it } from 'vitest';
import { listDeliveries } from '../src/db/deliveries';
import { catalogue, directory } from './helpers/fixtures';
import {
  addEvent,
  event,
  notificationsQueue,
  publish,
  settle,
  startNotifications,
  startProducer,
  startRelay,
  waitForJob,
} from './helpers/harness';
import { startFakeIdentity, TEST_SERVICE_SECRET } from './helpers/identity';
import { startSmtpServer } from './helpers/smtp';

const { redisUrl, prefix } = testRedis('notifications_deliver');
const smtp = await startSmtpServer();
const identity = await startFakeIdentity(directory);
const notifications = await startNotifications({
  label: 'notifications_deliver',
  redisUrl,
  redisPrefix: prefix,
  smtpUrl: smtp.url,
  mailFrom: 'Mentoring <noreply@mentoring.test>',
  recipients: { identityUrl: `${identity.url}/graphql`, serviceTokenSecret: TEST_SERVICE_SECRET },
});
const producer = await startProducer('notifications_deliver_producer');
startRelay(producer, redisUrl, prefix);
const queue = notificationsQueue(redisUrl, prefix);

describe('notifications worker', () => {
  it('sends every event type of the catalogue, in Italian, to the right recipient (outbox → relay → worker → SMTP)', async () => {
    const ids = new Map<string, string>();
    for (const entry of catalogue) ids.set(entry.type, await publish(producer, entry.type, entry.payload));
    await waitFor(() => smtp.received.length >= catalogue.length, { what: 'one message per event' });
    await settle();
    expect(smtp.received).toHaveLength(catalogue.length);

    for (const entry of catalogue) {
      const eventId = ids.get(entry.type)!;
      const [mail, ...others] = smtp.received.filter(
        (m) => m.headers.get('x-mentoring-event-id') === eventId,
      );
      expect(others, entry.type).toHaveLength(0);
      expect(mail?.rcptTo, entry.type).toEqual([entry.to]);
      expect(mail?.subject, entry.type).toBe(entry.subject);
      expect(mail?.text, entry.type).toContain(entry.says);
      expect(mail?.html, entry.type).toContain('<html lang="it">');
      expect(mail?.headers.get('x-mentoring-event-type')).toBe(entry.type);
      expect(mail?.headers.get('content-language')).toBe('it');
      expect(mail?.from).toContain('noreply@mentoring.test');
      expect(mail?.messageId).toMatch(/^<[0-9a-f]{32}\.notification@mentoring\.test>$/);
      const [delivery] = await listDeliveries(notifications.db, eventId);
      expect(delivery).toMatchObject({
        recipient: entry.to,
        status: 'sent',
        attempts: 1,
        messageId: mail?.messageId,
      });
      expect(delivery?.sentAt).toBeInstanceOf(Date);
    }
    const sponsor = smtp.received.find(
      (m) => m.headers.get('x-mentoring-event-id') === ids.get('contribution.received'),
    );
    expect(sponsor?.text).toContain('Gentile Fondazione Vigevano,');
    expect(sponsor?.to).toContain('Fondazione Vigevano');
    // Identity was asked with a service token from notifications.
    expect(identity.calls.every((c) => c.caller === 'notifications')).toBe(true);
  });

  it('writes in English to users whose locale is en, with euro amounts in English', async () => {
    const before = smtp.received.length;
    const id = await publish(producer, 'redemption.confirmed', {
      redemptionId: 'red-en',
      holderUserId: 'user-sam',
      offeringTitle: 'Guitar <beginners> & more',
      amountCents: 123456,
    });
    await waitFor(() => smtp.received.length > before, { what: 'the English message' });
    const mail = smtp.received.at(-1)!;
    expect(mail.headers.get('x-mentoring-event-id')).toBe(id);
    expect(mail.rcptTo).toEqual(['sam@example.org']);
    expect(mail.to).toContain('Sam');
    expect(mail.subject).toBe('Purchase confirmed: Guitar <beginners> & more');
    expect(mail.text).toContain('Hello Sam,');
    expect(mail.text).toContain('€1,234.56 was charged to your grant.');
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.html).toContain('Guitar &lt;beginners&gt; &amp; more');
    expect(mail.html).not.toContain('<beginners>');
  });

  it('sends the claim code to the beneficiary and to the guardian, once per address', async () => {
    const before = smtp.received.length;
    const id = await publish(producer, 'grant.issued', {
      grantId: 'grant-2',
      programName: 'Mentoring 2.1',
      amountCents: 8000,
      claimCode: 'ABCD-23456',
      expiresAt: '2025-06-30',
      email: 'Anna@Example.org',
      guardianEmail: 'genitore@example.org',
      beneficiaryFirstName: 'Anna',
    });
    await waitFor(() => smtp.received.length >= before + 2, { what: 'two messages' });
    await settle();
    const mails = smtp.received.filter((m) => m.headers.get('x-mentoring-event-id') === id);
    expect(mails.map((m) => m.rcptTo[0]).sort()).toEqual(['anna@example.org', 'genitore@example.org']);
    const guardian = mails.find((m) => m.rcptTo[0] === 'genitore@example.org')!;
    expect(guardian.subject).toBe('Una borsa Mentoring di € 80,00 per Anna');
    expect(guardian.text).toContain('Gentile genitore o tutore,');
    expect(guardian.text).toContain('Codice: ABCD-23456');
    expect(guardian.messageId).not.toBe(mails.find((m) => m !== guardian)?.messageId);
  });

  it('sends nothing twice when the same event comes again under a new job id, or its job is retried', async () => {
    const payload = catalogue.find((e) => e.type === 'grant.claimed')!.payload;
    const first = event('11111111-1111-4111-8111-111111111111', 'grant.claimed', payload);
    await addEvent(queue, first);
    await waitForJob(queue, first.id);
    const count = () =>
      smtp.received.filter((m) => m.headers.get('x-mentoring-event-id') === first.id).length;
    expect(count()).toBe(1);

    await addEvent(queue, first, `${first.id}-again`);
    await waitForJob(queue, `${first.id}-again`);
    expect((await queue.getJob(`${first.id}-again`))?.returnvalue).toMatchObject({ sent: 0, alreadySent: 1 });

    // Two copies at the same time (concurrency 2): the delivery row lock lets one through.
    await Promise.all([addEvent(queue, first, `${first.id}-a`), addEvent(queue, first, `${first.id}-b`)]);
    await Promise.all([waitForJob(queue, `${first.id}-a`), waitForJob(queue, `${first.id}-b`)]);

    // An operator retries the completed job.
    await (await queue.getJob(first.id))?.retry('completed');
    await waitForJob(queue, first.id);

    // A relayed duplicate (the relay published but could not mark the row) is dropped by BullMQ on the job id.
    await addEvent(queue, first);
    await settle();
    expect(count()).toBe(1);
    const deliveries = await listDeliveries(notifications.db, first.id);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('skips recipients identity does not know or who have no address, without failing the job', async () => {
    const ghost = event('22222222-2222-4222-8222-222222222222', 'payout.paid', {
      payoutId: 'payout-x',
      providerId: 'org-silent',
      amountCents: 100,
      bankReference: 'REF',
    });
    const unknown = event('33333333-3333-4333-8333-333333333333', 'grant.claimed', {
      grantId: 'g',
      programName: 'P',
      holderUserId: 'user-nobody',
      balanceCents: 1,
    });
    await addEvent(queue, ghost);
    await addEvent(queue, unknown);
    await waitForJob(queue, ghost.id);
    await waitForJob(queue, unknown.id);
    expect((await queue.getJob(ghost.id))?.returnvalue).toMatchObject({ sent: 0, unreachable: 1 });
    expect(await listDeliveries(notifications.db, ghost.id)).toEqual([]);
  });

  it('leaves events it cannot read in the failed set, visible and retryable', async () => {
    const unknownType = event('44444444-4444-4444-8444-444444444444', 'grant.teleported', { grantId: 'g' });
    const badPayload = event('55555555-5555-4555-8555-555555555555', 'payout.paid', { payoutId: 'p' });
    await addEvent(queue, unknownType);
    await addEvent(queue, badPayload);
    await waitForJob(queue, unknownType.id, 'failed');
    await waitForJob(queue, badPayload.id, 'failed');
    const job = await queue.getJob(unknownType.id);
    expect(job?.failedReason).toContain('no template for event type grant.teleported');
    expect(job?.attemptsMade).toBe(1); // not retried: it would fail the same way
  });

  it('answers /healthz and /readyz', async () => {
    const url = await notifications.listen({ port: 0 });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      checks: { database: 'ok', redis: 'ok', worker: 'ok' },
    });
  });
});
