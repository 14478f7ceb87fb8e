import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: { address: string; name?: string | undefined };
  subject: string;
  text: string;
  html: string;
  /** `<…@…>`, stable for one (event, recipient): see `stableMessageId`. */
  messageId: string;
  headers?: Record<string, string>;
  /** File name (without `.eml`) when writing to the data folder. */
  fileStem: string;
}

export interface Mailer {
  /** `smtp` when an SMTP server is configured, `files` when messages are written as `.eml`. */
  readonly kind: 'smtp' | 'files';
  send(mail: OutgoingMail): Promise<{ messageId: string; file?: string }>;
  close(): void;
}

export interface MailerOptions {
  /** `smtp://…` or `smtps://…`; query parameters are nodemailer options (e.g. `?pool=true`). */
  smtpUrl?: string | undefined;
  from: string;
  /** Where `mail/*.eml` files go when there is no SMTP server. */
  dataDir: string;
  /** Connection, greeting and socket timeouts (ms) unless the URL sets them. */
  timeoutsMs?: { connection?: number; greeting?: number; socket?: number };
}

/** The domain of the From address, used on the right of generated Message-IDs. */
export function mailDomain(from: string): string {
  const match = /@([^\s<>@]+)>?\s*$/.exec(from);
  return match?.[1]?.toLowerCase() ?? 'mentoring.invalid';
}

/**
 * The same event sent to the same address always carries the same Message-ID,
 * so a copy sent twice (a crash between sending and recording) can be
 * recognised by mail clients, servers and people.
 */
export function stableMessageId(eventId: string, recipient: string, domain: string): string {
  const digest = createHash('sha256').update(`${eventId}\n${recipient}`).digest('hex').slice(0, 32);
  return `<${digest}.notification@${domain}>`;
}

/** Adds default timeouts to an SMTP URL so a hung server cannot block a job for long. */
function withTimeouts(smtpUrl: string, timeouts: NonNullable<MailerOptions['timeoutsMs']>): string {
  const url = new URL(smtpUrl);
  const defaults = {
    connectionTimeout: timeouts.connection ?? 10_000,
    greetingTimeout: timeouts.greeting ?? 10_000,
    socketTimeout: timeouts.socket ?? 30_000,
  };
  for (const [name, value] of Object.entries(defaults))
    if (!url.searchParams.has(name)) url.searchParams.set(name, String(value));
  return url.toString();
}

/** Sends over SMTP, or — without `smtpUrl` — writes each message to `<dataDir>/mail/<stem>.eml`. */
export function createMailer(options: MailerOptions): Mailer {
  const message = (mail: OutgoingMail) => ({
    from: options.from,
    to: mail.to.name ? { name: mail.to.name, address: mail.to.address } : mail.to.address,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: mail.headers ?? {},
  });

  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(withTimeouts(options.smtpUrl, options.timeoutsMs ?? {}));
    return {
      kind: 'smtp',
      async send(mail) {
        await transport.sendMail(message(mail));
        return { messageId: mail.messageId };
      },
      close: () => transport.close(),
    };
  }

  const folder = join(options.dataDir, 'mail');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'files',
    async send(mail) {
      const info = await transport.sendMail(message(mail));
      await mkdir(folder, { recursive: true });
      const file = join(folder, `${mail.fileStem.replace(/[^\w.-]+/g, '_')}.eml`);
      // Written whole or not at all; a second write of the same delivery replaces the file.
      const partial = `${file}.${process.pid}.tmp`;
      await writeFile(partial, info.message as Buffer);
      await rename(partial, file);
      return { messageId: mail.messageId, file };
    },
    close: () => transport.close(),
  };
}
