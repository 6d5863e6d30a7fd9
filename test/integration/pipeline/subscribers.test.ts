/**
 * Local HTTP subscribers with SNS filter policies: each receives exactly the notifications
 * its policy asks for, as the same policy on the SNS topic would give it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { parseSubscribers } from '../../../lib/local/subscribers.ts';
import { call, settled, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import { startRemoteSmtp, type RemoteSmtp } from '../../support/remote-smtp.ts';

interface Hook {
  url: string;
  received: { type: string; message_id: string; tags: Record<string, string> }[];
  server: Server;
}

async function hook(): Promise<Hook> {
  const received: Hook['received'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, server };
}

let remote: RemoteSmtp;
let runtime: LocalRuntime;
let everything: Hook;
let receiptBounces: Hook;

beforeAll(async () => {
  remote = await startRemoteSmtp((address) => (address.startsWith('gone') ? { code: 550, text: '5.1.1 user unknown' } : undefined));
  [everything, receiptBounces] = await Promise.all([hook(), hook()]);
  const subscribers = JSON.stringify([
    { url: everything.url },
    { url: receiptBounces.url, filter_policy: { type: ['bounced', 'complained'], tags: ['kind=receipt'] } },
  ]);
  runtime = await startPipeline({ relay: remote.url, env: { MAILROOM_SUBSCRIBERS: subscribers } });
});
afterAll(async () => {
  await runtime?.stop();
  await remote?.close();
  for (const h of [everything, receiptBounces]) h?.server.close();
});

describe('local subscribers', () => {
  it('delivers to each subscriber only what its filter policy asks for', async () => {
    const ids: string[] = [];
    for (const [to, kind] of [
      ['ok@remote.test', 'receipt'],
      ['gone@remote.test', 'receipt'],
      ['gone2@remote.test', 'digest'],
    ] as const) {
      const sent = await call(runtime, 'POST', '/v1/messages', { from: 'a@shop.test', to, subject: 's', text: 't', tags: { kind } });
      ids.push(sent.body.id);
      await waitForMessage(runtime, sent.body.id, (m) => m.status !== 'queued');
    }
    // The stream consumer posts each notification before it moves on: once the runtime has
    // settled, every subscriber has had all it will get.
    await settled(runtime);
    expect(everything.received.map((n) => n.type).sort()).toEqual(['bounced', 'bounced', 'queued', 'queued', 'queued', 'sent']);
    expect(receiptBounces.received.map((n) => [n.type, n.message_id])).toEqual([['bounced', ids[1]]]);
  });

  it('refuses a malformed setting, naming the problem', () => {
    expect(() => parseSubscribers('ftp://x')).toThrow(/must be an http/);
    expect(() => parseSubscribers('[{"url":"http://x","filter_policy":{"type":"bounced"}}]')).toThrow(
      /MAILROOM_SUBSCRIBERS\[0\.filter_policy\.type\]/,
    );
    expect(parseSubscribers('http://a/hook, https://b/hook')).toEqual([{ url: 'http://a/hook' }, { url: 'https://b/hook' }]);
  });
});
