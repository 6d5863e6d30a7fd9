/** The webhook HTTP client against servers on loopback: what it sends, what it refuses, and where it connects. */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpWebhookSender, WEBHOOK_USER_AGENT } from '../../../lib/adapters/http/webhook-sender.ts';
import { DEFAULT_WEBHOOK_URL_POLICY, type WebhookUrlPolicy } from '../../../lib/domain/webhook-url.ts';
import { MAILROOM_VERSION } from '../../../lib/version.ts';
import { tableResolver } from '../../support/fakes/index.ts';

const LOCAL: WebhookUrlPolicy = { ports: [443], allowHttpLoopback: true };

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let port: number;
let received: Received[] = [];
/** How the server answers the next request: a status, after a pause. */
let reply: { status: number; delayMs?: number; headers?: Record<string, string> } = { status: 204 };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      setTimeout(() => res.writeHead(reply.status, reply.headers).end('a body that is never read'), reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  received = [];
  reply = { status: 204 };
});

const request = (url: string) => ({
  url,
  headers: { 'webhook-id': 'msg-1', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' },
  body: '{"a":"é"}',
});

describe('the webhook sender', () => {
  it('posts the body as JSON with the signature headers and a User-Agent naming mailroom', async () => {
    const answer = await new HttpWebhookSender({ policy: LOCAL }).send(request(`http://127.0.0.1:${port}/hook?x=1`));
    expect(answer).toEqual({ statusCode: 204, durationMs: expect.any(Number) });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/hook?x=1', body: '{"a":"é"}' });
    expect(received[0]!.headers).toMatchObject({
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength('{"a":"é"}')),
      'user-agent': `mailroom/${MAILROOM_VERSION} (webhooks)`,
      'webhook-id': 'msg-1',
      'webhook-timestamp': '1',
      'webhook-signature': 'v1,x',
    });
    expect(WEBHOOK_USER_AGENT).toMatch(/^mailroom\/\d+\.\d+\.\d+/);
  });

  it('names mailroom’s version as package.json has it', () => {
    expect(MAILROOM_VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it('answers other statuses as failures, and does not follow redirects', async () => {
    reply = { status: 500 };
    expect(await new HttpWebhookSender({ policy: LOCAL }).send(request(`http://127.0.0.1:${port}/`))).toMatchObject({
      statusCode: 500,
      error: 'answered 500',
    });
    reply = { status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } };
    expect(await new HttpWebhookSender({ policy: LOCAL }).send(request(`http://127.0.0.1:${port}/`))).toMatchObject({
      statusCode: 302,
      error: 'answered 302 (redirects are not followed)',
    });
    expect(received).toHaveLength(2);
  });

  it('gives up after its time limit', async () => {
    reply = { status: 200, delayMs: 1000 };
    const answer = await new HttpWebhookSender({ policy: LOCAL, timeoutMs: 200 }).send(request(`http://127.0.0.1:${port}/`));
    expect(answer).toMatchObject({ error: 'timed out after 0.2 s' });
    expect(answer).not.toHaveProperty('statusCode');
    expect(answer.durationMs).toBeGreaterThanOrEqual(190);
    expect(answer.durationMs).toBeLessThan(900);
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const free = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await new HttpWebhookSender({ policy: LOCAL }).send(request(`http://127.0.0.1:${free}/`))).toMatchObject({
      error: 'connection refused',
    });
  });

  it('connects to the address it checked', async () => {
    const sender = new HttpWebhookSender({ policy: LOCAL, resolver: tableResolver({ 'hooks.local.test': ['127.0.0.1'] }) });
    expect(await sender.send(request(`http://hooks.local.test:${port}/in`))).toMatchObject({ statusCode: 204 });
    expect(received[0]!.headers.host).toBe(`hooks.local.test:${port}`);
  });

  it('refuses, without connecting, a name that now resolves to a private address (DNS rebinding)', async () => {
    let calls = 0;
    // Public when the endpoint was registered, loopback when the delivery connects.
    const rebinding = { addresses: async () => (calls++ === 0 ? ['93.184.216.34'] : ['127.0.0.1']) };
    await rebinding.addresses();
    const sender = new HttpWebhookSender({ policy: { ...DEFAULT_WEBHOOK_URL_POLICY, ports: [port] }, resolver: rebinding });
    expect(await sender.send(request(`https://rebind.test:${port}/in`))).toMatchObject({
      error: 'refused: resolves to 127.0.0.1, a loopback address',
    });
    const mixed = new HttpWebhookSender({ policy: LOCAL, resolver: tableResolver({ 'mixed.test': ['127.0.0.1', '10.0.0.1'] }) });
    expect(await mixed.send(request(`http://mixed.test:${port}/in`))).toMatchObject({
      error: 'refused: resolves to 10.0.0.1, not to this machine (http:// is for loopback)',
    });
    expect(received).toEqual([]);
  });

  it('refuses IP literals and URLs that the rules refuse, without connecting', async () => {
    const aws = new HttpWebhookSender({ policy: { ...DEFAULT_WEBHOOK_URL_POLICY, ports: [443, port] } });
    expect(await aws.send(request(`https://127.0.0.1:${port}/`))).toMatchObject({
      error: 'refused: resolves to 127.0.0.1, a loopback address',
    });
    expect(await aws.send(request('https://169.254.169.254/latest'))).toMatchObject({
      error: 'refused: resolves to 169.254.169.254, a link-local address',
    });
    expect(await aws.send(request(`http://127.0.0.1:${port}/`))).toMatchObject({ error: 'refused: the URL must be an https:// URL' });
    expect(await new HttpWebhookSender({ policy: LOCAL }).send(request(`http://10.0.0.1:${port}/`))).toMatchObject({
      error: 'refused: the URL may use http:// only to this machine (loopback)',
    });
    expect(received).toEqual([]);
  });

  it('reports a name that does not resolve', async () => {
    const sender = new HttpWebhookSender({ policy: LOCAL, resolver: tableResolver({}) });
    expect(await sender.send(request('http://nowhere.test/in'))).toMatchObject({ error: 'refused: does not resolve to any address' });
  });
});
