/** A webhook receiver on loopback: answers by a script, keeps every request it got. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './wait.ts';

/** One request as received. */
export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  /** Epoch ms when it arrived. */
  at: number;
}

/** How to answer the nth request (1 for the first): a status, after a pause. */
export type WebhookScript = (n: number, request: ReceivedWebhook) => { status: number; delayMs?: number };

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** The documents received, parsed. */
  documents(): { id: string; type: string; tenant: string; [key: string]: unknown }[];
  /** Resolves once `count` requests arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** Starts a receiver answering 200 unless `script` says otherwise. */
export async function startWebhookReceiver(script: WebhookScript = () => ({ status: 200 })): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const request = { headers: req.headers as Record<string, string>, body, at: Date.now() };
      received.push(request);
      const { status, delayMs = 0 } = script(received.length, request);
      setTimeout(() => res.writeHead(status).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    received,
    documents: () => received.map((r) => JSON.parse(r.body)),
    waitFor: (count, timeoutMs = 20_000) =>
      waitFor(
        () => received,
        (all) => all.length >= count,
        { timeout: timeoutMs, message: `${count} webhook(s) at the receiver`, show: (all) => JSON.stringify(all.map((r) => r.body)) },
      ),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
