/**
 * The capture relay of local mode: an SMTP server on loopback that accepts everything and
 * keeps it, in memory and as `.eml` files in the data folder, for the mailbox page.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A captured message as the mailbox page shows it. */
export interface CapturedMail {
  /** Sequence number, as a string. */
  id: string;
  receivedAt: string;
  envelopeFrom: string;
  envelopeTo: string[];
  subject: string;
  from: string;
  to: string;
  messageId: string;
  headers: [string, string][];
  text?: string;
  html?: string;
  raw: string;
}

export interface CaptureSmtp {
  port: number;
  url: string;
  messages(): CapturedMail[];
  get(id: string): CapturedMail | undefined;
  /** Resolves when `count` messages have arrived in all (for tests). */
  waitFor(count: number, timeoutMs?: number): Promise<CapturedMail[]>;
  clear(): void;
  stop(): Promise<void>;
}

async function parse(id: string, raw: Buffer, envelopeFrom: string, envelopeTo: string[], receivedAt: string): Promise<CapturedMail> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const headers: [string, string][] = parsed.headerLines.map((h) => {
    const colon = h.line.indexOf(':');
    return [h.line.slice(0, colon), h.line.slice(colon + 1).trim()];
  });
  const address = (value: typeof parsed.from | typeof parsed.to) =>
    Array.isArray(value) ? value.map((v) => v.text).join(', ') : (value?.text ?? '');
  return {
    id,
    receivedAt,
    envelopeFrom,
    envelopeTo,
    subject: parsed.subject ?? '',
    from: address(parsed.from),
    to: address(parsed.to),
    messageId: parsed.messageId ?? '',
    headers,
    ...(parsed.text !== undefined && { text: parsed.text }),
    ...(typeof parsed.html === 'string' && { html: parsed.html }),
    raw: raw.toString('utf8'),
  };
}

/** Starts the capture server; with `folder`, mail is also written there and reloaded on start. */
export async function startCaptureSmtp(options: { port?: number; folder?: string } = {}): Promise<CaptureSmtp> {
  const mail: CapturedMail[] = [];
  let waiters: { count: number; resolve: (m: CapturedMail[]) => void }[] = [];
  if (options.folder) {
    mkdirSync(options.folder, { recursive: true });
    for (const file of readdirSync(options.folder)
      .filter((f) => f.endsWith('.json'))
      .sort((a, b) => parseInt(a) - parseInt(b))) {
      try {
        mail.push(JSON.parse(readFileSync(join(options.folder, file), 'utf8')) as CapturedMail);
      } catch {
        // A half-written file from a crash: skip it.
      }
    }
  }
  let next = mail.reduce((max, m) => Math.max(max, Number(m.id)), 0) + 1;

  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'capture' }),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const id = String(next++);
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((r) => r.address);
        parse(id, Buffer.concat(chunks), from, to, new Date().toISOString())
          .then((captured) => {
            mail.push(captured);
            if (options.folder) {
              writeFileSync(join(options.folder, `${id}.json`), JSON.stringify(captured));
              writeFileSync(join(options.folder, `${id}.eml`), captured.raw);
            }
            const ready = waiters.filter((w) => mail.length >= w.count);
            waiters = waiters.filter((w) => mail.length < w.count);
            for (const w of ready) w.resolve([...mail]);
            callback(null, `2.0.0 Ok: captured as ${id}`);
          })
          .catch((error: Error) => callback(error));
      });
    },
    logger: false,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined);
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages: () => [...mail],
    get: (id) => mail.find((m) => m.id === id),
    waitFor(count, timeoutMs = 20_000) {
      if (mail.length >= count) return Promise.resolve([...mail]);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${count} messages, have ${mail.length}`)), timeoutMs);
        waiters.push({ count, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
    clear: () => void mail.splice(0),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
