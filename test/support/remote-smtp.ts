/**
 * A scriptable remote SMTP server on loopback: each RCPT TO is answered by a rule (accept,
 * 4xx or 5xx, possibly depending on how often the address was tried), and whatever is
 * accepted is kept, parsed back with mailparser.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './wait.ts';

export interface Delivered {
  mailFrom: string;
  rcptTo: string[];
  parsed: ParsedMail;
}

/** A reply for a recipient, or undefined to accept it. */
export type RcptRule = (address: string, tries: number) => { code: number; text: string } | undefined;

export interface RemoteSmtp {
  url: string;
  delivered: Delivered[];
  /** RCPT TO commands seen per address. */
  tries: Map<string, number>;
  /** Resolves once `count` deliveries arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<Delivered[]>;
  close(): Promise<void>;
}

export async function startRemoteSmtp(rule: RcptRule = () => undefined): Promise<RemoteSmtp> {
  const delivered: Delivered[] = [];
  const tries = new Map<string, number>();
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    hideENHANCEDSTATUSCODES: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      const count = (tries.get(address.address) ?? 0) + 1;
      tries.set(address.address, count);
      const reply = rule(address.address, count);
      callback(reply ? Object.assign(new Error(reply.text), { responseCode: reply.code }) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        simpleParser(Buffer.concat(chunks))
          .then((parsed) => {
            delivered.push({
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              rcptTo: session.envelope.rcptTo.map((r) => r.address),
              parsed,
            });
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    delivered,
    tries,
    async waitFor(count, timeoutMs = 20_000) {
      await waitFor(
        () => delivered.length,
        (arrived) => arrived >= count,
        { timeout: timeoutMs, interval: 25, message: `${count} deliveries` },
      );
      return delivered;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
