/**
 * The benchmark's SMTP sink: an SMTP server on loopback that accepts every message, keeps
 * nothing but the arrival time of each (by its X-Mailroom-Id header, else its Message-ID),
 * and answers at once, so that it costs both the pipeline and the baseline as little as
 * possible.
 */
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';

/** Header bytes looked at for the message's id; the ids sit near the top. */
const HEADER_LIMIT = 64 * 1024;

/** The id a message is known by: its X-Mailroom-Id header, else its Message-ID, from the header block. */
export function messageKeyOf(header: string): string | undefined {
  const end = header.search(/\r?\n\r?\n/);
  const block = end >= 0 ? header.slice(0, end) : header;
  const field = (name: string) => new RegExp(`^${name}:[ \\t]*(.+?)[ \\t]*$`, 'im').exec(block)?.[1];
  return field('X-Mailroom-Id') ?? field('Message-ID');
}

export interface SmtpSink {
  port: number;
  /** The relay URL for mailroom (`smtp://127.0.0.1:<port>`). */
  url: string;
  /** Arrival time (performance.now()) of each message, by id. */
  arrivals: Map<string, number>;
  /** Messages received, with or without an id. */
  received(): number;
  /** Resolves once every id has arrived; rejects after `timeoutMs` with how many are missing. */
  waitFor(ids: Iterable<string>, timeoutMs: number): Promise<void>;
  reset(): void;
  stop(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const arrivals = new Map<string, number>();
  let received = 0;
  let waiters: { pending: Set<string>; done: () => void }[] = [];

  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    maxClients: 1000,
    onData(stream, _session, callback) {
      let header = '';
      stream.on('data', (chunk: Buffer) => {
        if (header.length < HEADER_LIMIT && !/\r?\n\r?\n/.test(header)) header += chunk.toString('latin1');
      });
      stream.on('error', callback);
      stream.on('end', () => {
        const at = performance.now();
        received += 1;
        const key = messageKeyOf(header);
        if (key !== undefined && !arrivals.has(key)) {
          arrivals.set(key, at);
          waiters = waiters.filter((waiter) => {
            waiter.pending.delete(key);
            if (waiter.pending.size > 0) return true;
            waiter.done();
            return false;
          });
        }
        callback(null, 'Ok: received');
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined);
  const port = (server.server.address() as { port: number }).port;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    arrivals,
    received: () => received,
    waitFor(ids, timeoutMs) {
      const pending = new Set([...ids].filter((id) => !arrivals.has(id)));
      if (pending.size === 0) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const waiter = { pending, done: () => (clearTimeout(timer), resolve()) };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(new Error(`${pending.size} message(s) did not reach the sink within ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    reset() {
      arrivals.clear();
      received = 0;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
