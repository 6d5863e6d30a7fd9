/**
 * Clients of the SMTP submission service for tests: a nodemailer transport with the test's
 * credential, and a raw socket that writes exactly the bytes given and reads the replies.
 */
import { readdirSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import nodemailer from 'nodemailer';
import type { SMTPTransportOptions } from 'nodemailer';
import { DynamoSmtpCredentialStore } from '../../lib/adapters/dynamodb/smtp-credential-store.ts';
import type { FolderRawMessageStore } from '../../lib/adapters/fs/folder-raw-message-store.ts';
import type { LocalRuntime } from '../../lib/local/runtime.ts';
import { TABLE_ENV } from '../../lib/topology.ts';
import { issueSmtpCredential } from '../../lib/use-cases/smtp-credentials.ts';
import { waitForMessage } from './pipeline.ts';

export interface SmtpAuth {
  user: string;
  pass: string;
}

/** A new SMTP credential of the runtime's dev tenant. */
export async function devSmtpAuth(runtime: LocalRuntime): Promise<SmtpAuth> {
  const credentials = new DynamoSmtpCredentialStore(runtime.dynamo, runtime.env[TABLE_ENV.smtpCredentials]!);
  const issued = await issueSmtpCredential({ credentials, clock: { now: () => new Date() } }, 'dev', { description: 'smtp tests' });
  return { user: issued.username, pass: issued.password };
}

/** A one-connection nodemailer client on 127.0.0.1; STARTTLS on `port` unless told otherwise. */
export function smtpClient(port: number, auth: SmtpAuth | undefined, options: Partial<SMTPTransportOptions> = {}) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: true,
    auth,
    tls: { rejectUnauthorized: false },
    ...options,
  } as SMTPTransportOptions);
}

/** mailroom's id from the DATA reply (`250 2.0.0 Ok: queued as <id>`). */
export function queuedId(response: string): string {
  const id = /queued as (\w+)/.exec(response)?.[1];
  if (!id) throw new Error(`no id in ${response}`);
  return id;
}

/** The capture relay's copy of message `id`, once the record says it was sent. */
export async function deliveredCopy(runtime: LocalRuntime, id: string) {
  await waitForMessage(runtime, id, (m) => m.status === 'sent');
  const copy = runtime
    .capture!.messages()
    .find((m) => m.headers.some(([name, value]) => name.toLowerCase() === 'x-mailroom-id' && value === id));
  if (!copy) throw new Error(`message ${id} was not captured`);
  return copy;
}

/** The submitted messages the local SMTP service has stored (file names). */
export function storedSubmissions(runtime: LocalRuntime): string[] {
  const root = (runtime.smtp!.deps.rawMessages as FolderRawMessageStore).root;
  try {
    return readdirSync(`${root}/smtp`);
  } catch {
    return [];
  }
}

/** A raw SMTP connection: what was received so far, and a wait for a reply. */
export interface RawSmtp {
  /** The socket in use (the TLS socket after starttls()). */
  readonly socket: Socket;
  /** Everything the server sent. */
  received(): string;
  /** Resolves with everything received once `pattern` matches what arrived after `from` (an index into it); fails after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number, from?: number): Promise<string>;
  /** Sends `command` and resolves with the reply lines to it, once one matches `reply`. */
  command(command: string, reply: RegExp, timeoutMs?: number): Promise<string>;
  /** STARTTLS, then TLS on the same connection. */
  starttls(): Promise<void>;
  /** Resolves when the server has closed the connection. */
  closed: Promise<void>;
  write(data: string | Buffer): void;
  destroy(): void;
}

/** Opens a raw connection to 127.0.0.1: implicit TLS when `tls`, else plain TCP. */
export function rawSmtp(port: number, options: { tls?: boolean; localAddress?: string } = {}): RawSmtp {
  const common = { host: '127.0.0.1', port, ...(options.localAddress && { localAddress: options.localAddress }) };
  let socket: Socket = options.tls ? tlsConnect({ ...common, rejectUnauthorized: false }) : netConnect(common);
  let text = '';
  let wake: (() => void) | undefined;
  let closedSocket = false;
  const onData = (chunk: Buffer) => {
    text += chunk.toString('latin1');
    wake?.();
  };
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const listen = (s: Socket) => {
    s.on('data', onData);
    s.on('error', () => wake?.());
    s.once('close', () => {
      if (s !== socket) return;
      closedSocket = true;
      markClosed();
      wake?.();
    });
  };
  listen(socket);
  const raw: RawSmtp = {
    get socket() {
      return socket;
    },
    received: () => text,
    async waitFor(pattern, timeoutMs = 5_000, from = 0) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(text.slice(from))) {
        const left = deadline - Date.now();
        if (left <= 0 || closedSocket)
          throw new Error(`no ${pattern} from the server (${closedSocket ? 'closed' : 'timed out'}); received: ${JSON.stringify(text)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => (clearTimeout(timer), resolve());
        });
      }
      return text;
    },
    async command(command, reply, timeoutMs) {
      const from = text.length;
      socket.write(`${command}\r\n`);
      await raw.waitFor(reply, timeoutMs, from);
      return text.slice(from);
    },
    async starttls() {
      await raw.command('STARTTLS', /^220 /m);
      const plain = socket;
      plain.off('data', onData);
      socket = tlsConnect({ socket: plain, rejectUnauthorized: false });
      listen(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('secureConnect', () => resolve());
        socket.once('error', reject);
      });
    },
    closed,
    write: (data) => void socket.write(data),
    destroy: () => socket.destroy(),
  };
  return raw;
}

/** AUTH PLAIN's argument. */
export function plainAuth(auth: SmtpAuth): string {
  return Buffer.from(`\0${auth.user}\0${auth.pass}`).toString('base64');
}

/**
 * Submits `message` byte for byte (dot-stuffed, nothing else changed) over implicit TLS and
 * resolves with the server's last reply line to DATA.
 */
export async function submitRaw(securePort: number, auth: SmtpAuth, envelope: { from: string; to: string[] }, message: Buffer) {
  const smtp = rawSmtp(securePort, { tls: true });
  try {
    await smtp.waitFor(/^220 /m);
    await smtp.command('EHLO client.example', /^250 /m);
    await smtp.command(`AUTH PLAIN ${plainAuth(auth)}`, /^235 /m);
    await smtp.command(`MAIL FROM:<${envelope.from}>`, /^250 /m);
    for (const to of envelope.to) await smtp.command(`RCPT TO:<${to}>`, /^250 /m);
    await smtp.command('DATA', /^354 /m);
    const at = smtp.received().length;
    const stuffed = Buffer.from(message.toString('latin1').replace(/(^|\n)\./g, '$1..'), 'latin1');
    const ending = stuffed.subarray(-2).toString() === '\r\n' ? '' : '\r\n';
    smtp.write(Buffer.concat([stuffed, Buffer.from(`${ending}.\r\n`)]));
    const text = await smtp.waitFor(/^\d{3} .*\r\n/m, 10_000, at);
    return /^(\d{3} .*)\r\n/m.exec(text.slice(at))![1]!;
  } finally {
    smtp.destroy();
  }
}
