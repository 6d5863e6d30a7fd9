/**
 * A real smtp-server on loopback for relay tests: it refuses some recipients the way remote
 * servers do and keeps what it received, parsed back with mailparser.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { OutgoingMail } from '../../../lib/ports/mail-relay.ts';

/** Recipients the test server refuses at RCPT TO, with the reply it gives. */
export const REFUSED = {
  unknown: { address: 'unknown@remote.test', code: 550, text: '5.1.1 <unknown@remote.test>: mailbox unavailable' },
  greylisted: { address: 'greylisted@remote.test', code: 451, text: '4.7.1 greylisted, try again later' },
} as const;

/** A sender whose messages the server refuses after DATA. */
export const DATA_REFUSED_SENDER = 'reject-data@sender.test';

export interface Received {
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  port: number;
  url: string;
  received: Received[];
  /** SMTP sessions opened so far (pool reuse shows as few sessions). */
  sessions: number;
  close(): Promise<void>;
}

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts the server on 127.0.0.1 with an ephemeral port; AUTH accepts `user`/`pass` if given. */
export async function startTestSmtpServer(credentials?: { user: string; pass: string }): Promise<TestSmtpServer> {
  const state = { received: [] as Received[], sessions: 0 };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: !credentials,
    allowInsecureAuth: true,
    // Replies carry the enhanced codes the tests put in their texts, not generated ones.
    hideENHANCEDSTATUSCODES: true,
    logger: false,
    onConnect(_session, callback) {
      state.sessions += 1;
      callback();
    },
    onAuth(auth, _session, callback) {
      if (credentials && auth.username === credentials.user && auth.password === credentials.pass) {
        callback(null, { user: auth.username });
      } else {
        callback(smtpError(535, '5.7.8 authentication failed'));
      }
    },
    onRcptTo(address, _session, callback) {
      const refusal = Object.values(REFUSED).find((r) => r.address === address.address);
      callback(refusal ? smtpError(refusal.code, refusal.text) : undefined);
    },
    onData(stream, session, callback) {
      readAll(stream)
        .then(async (raw) => {
          const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          if (mailFrom === DATA_REFUSED_SENDER) return callback(smtpError(554, '5.6.0 content rejected'));
          const rcptTo = session.envelope.rcptTo.map((r) => r.address);
          state.received.push({ mailFrom, rcptTo, raw, parsed: await simpleParser(raw) });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const auth = credentials ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.pass)}@` : '';
  return {
    port,
    url: `smtp://${auth}127.0.0.1:${port}`,
    received: state.received,
    get sessions() {
      return state.sessions;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let counter = 0;

/** An outgoing mail to `to` (envelope and To header) unless overridden. */
export function outgoingMail(overrides: Partial<OutgoingMail> & { to?: string[] } = {}): OutgoingMail {
  counter += 1;
  const id = `01TESTMAIL${String(counter).padStart(6, '0')}`;
  const to = overrides.to ?? ['someone@remote.test'];
  return {
    id,
    tenant: 'tenant-a',
    messageIdHeader: `<${id}@mailroom.test>`,
    date: new Date('2026-03-04T05:06:07Z'),
    envelope: { from: 'sender@sender.test', to },
    content: {
      from: 'Sender <sender@sender.test>',
      to,
      cc: [],
      bcc: [],
      replyTo: [],
      subject: `test ${id}`,
      text: 'hello',
      headers: {},
    },
    tags: {},
    ...overrides,
  };
}
