import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { type ParsedMail, parseMail } from './mime';

export interface ReceivedMail extends ParsedMail {
  /** Envelope recipients (RCPT TO). */
  rcptTo: string[];
  raw: string;
}

export interface TestSmtpServer {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Messages received for one address. */
  to(address: string): ReceivedMail[];
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** While set, RCPT TO for addresses it returns true for is refused with a temporary 451. */
  refuse: ((address: string) => boolean) | undefined;
}

/** A real SMTP server in the test process that keeps every message it accepts. */
export async function startSmtpServer(port = 0): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let server: SMTPServer | undefined;
  let actualPort = port;
  const state: { refuse: ((address: string) => boolean) | undefined } = { refuse: undefined };

  const start = async () => {
    const instance = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      closeTimeout: 100,
      disableReverseLookup: true,
      onRcptTo(address, _session, callback) {
        if (!state.refuse?.(address.address)) return callback();
        callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          received.push({ ...parseMail(raw), rcptTo: session.envelope.rcptTo.map((r) => r.address), raw });
          callback();
        });
      },
    });
    instance.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      instance.once('error', reject);
      instance.listen(actualPort, '127.0.0.1', () => resolve());
    });
    actualPort = (instance.server.address() as AddressInfo).port;
    server = instance;
  };
  await start();

  return {
    get port() {
      return actualPort;
    },
    get url() {
      return `smtp://127.0.0.1:${actualPort}`;
    },
    received,
    to: (address) => received.filter((m) => m.rcptTo.includes(address)),
    async stop() {
      const instance = server;
      server = undefined;
      if (instance) await new Promise<void>((resolve) => instance.close(() => resolve()));
    },
    start,
    get refuse() {
      return state.refuse;
    },
    set refuse(value) {
      state.refuse = value;
    },
  };
}
