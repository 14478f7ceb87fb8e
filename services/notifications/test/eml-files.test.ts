import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testRedis } from '@mentoring/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogue, directory } from './helpers/fixtures';
import { addEvent, event, notificationsQueue, startNotifications, waitForJob } from './helpers/harness';
import { directoryOf } from './helpers/identity';
import { parseMail } from './helpers/mime';

const { redisUrl, prefix } = testRedis('notifications_eml');
const dataDir = await mkdtemp(join(tmpdir(), 'notifications-eml-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));
const notifications = await startNotifications({
  label: 'notifications_eml',
  redisUrl,
  redisPrefix: prefix,
  dataDir,
  recipients: directoryOf(directory),
});
const queue = notificationsQueue(redisUrl, prefix);
const mailDir = join(dataDir, 'mail');

describe('without SMTP_URL', () => {
  it('writes each message as an .eml file under <DATA_DIR>/mail, once per event and recipient', async () => {
    expect(notifications.mailer.kind).toBe('files');
    const entry = catalogue.find((e) => e.type === 'redemption.authorized')!;
    const authorized = event('dddddddd-0000-4000-8000-000000000001', entry.type, entry.payload);
    await addEvent(queue, authorized);
    await waitForJob(queue, authorized.id);
    await addEvent(queue, authorized, `${authorized.id}-again`);
    await waitForJob(queue, `${authorized.id}-again`);

    const files = (await readdir(mailDir)).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(
      /^\d{8}T\d{6}Z_redemption\.authorized_dddddddd-0000-4000-8000-000000000001_[0-9a-f]{8}\.eml$/,
    );
    const mail = parseMail(await readFile(join(mailDir, files[0]!), 'utf8'));
    expect(mail.to).toContain('segreteria@costa.example.org');
    expect(mail.from).toContain('noreply@mentoring.test');
    expect(mail.subject).toBe(entry.subject);
    expect(mail.text).toContain('Codice di riscatto: H7P3QX2M');
    expect(mail.html).toContain('H7P3QX2M');
  });
});
