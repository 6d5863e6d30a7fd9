import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { emulatorClientConfig } from '../../../lib/local/aws.ts';
import { LoopbackRequestHandler, type SdkHttpRequest } from '../../../lib/local/loopback-request-handler.ts';
import { freePort } from '../../../lib/local/ports.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  socket: number;
}

let server: Server | undefined;
const handlers: LoopbackRequestHandler[] = [];

afterEach(async () => {
  handlers.splice(0).forEach((handler) => handler.destroy());
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A server on loopback that records each request and answers with `answer`. */
async function recording(answer: (seen: Seen) => { status: number; headers?: Record<string, string>; body?: string } | undefined) {
  const seen: Seen[] = [];
  const sockets = new WeakMap<object, number>();
  let nextSocket = 0;
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (!sockets.has(request.socket)) sockets.set(request.socket, nextSocket++);
      const one = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
        socket: sockets.get(request.socket)!,
      };
      seen.push(one);
      const reply = answer(one);
      if (!reply) return; // never answers
      response.writeHead(reply.status, reply.headers);
      response.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { seen, port: (server.address() as AddressInfo).port };
}

function handler(): LoopbackRequestHandler {
  const made = new LoopbackRequestHandler();
  handlers.push(made);
  return made;
}

function request(port: number, extra: Partial<SdkHttpRequest> = {}): SdkHttpRequest {
  return { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: '/', headers: {}, ...extra };
}

describe('LoopbackRequestHandler', () => {
  it('sends the method, path, query, headers and body, and answers with the status, headers and whole body', async () => {
    const body = 'x'.repeat(200_000);
    const { seen, port } = await recording(() => ({ status: 400, headers: { 'x-amzn-requestid': 'r1', 'set-cookie': 'a' }, body }));
    const { response } = await handler().handle(
      request(port, {
        path: '/queue',
        query: { Action: 'Send Message', flag: null, list: ['a', 'b&c'] },
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
        body: '{"TableName":"t"}',
      }),
    );

    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/queue?Action=Send%20Message&flag&list=a&list=b%26c',
      body: '{"TableName":"t"}',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['x-amzn-requestid']).toBe('r1');
    expect(response.headers['set-cookie']).toBe('a');
    expect(response.body).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(response.body).toString()).toBe(body);
  });

  it('keeps the connection for the next request', async () => {
    const { seen, port } = await recording(() => ({ status: 200, body: '{}' }));
    const made = handler();
    for (let i = 0; i < 3; i++) await made.handle(request(port, { body: String(i) }));
    expect(seen.map((s) => s.socket)).toEqual([0, 0, 0]);
  });

  it('fails as Node does when nothing listens (a code the SDK retries), and when the signal aborts', async () => {
    const closed = await freePort();
    await expect(handler().handle(request(closed))).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    const { port } = await recording(() => undefined);
    const aborts = new AbortController();
    const pending = handler().handle(request(port), { abortSignal: aborts.signal });
    setTimeout(() => aborts.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(handler().handle(request(port), { abortSignal: aborts.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it("hands the SDK an error answer it turns into the service's exception", async () => {
    const { port } = await recording(() => ({
      status: 400,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'no table' }),
    }));
    const client = new DynamoDBClient({ ...emulatorClientConfig(`http://127.0.0.1:${port}`), maxAttempts: 1 });
    try {
      await expect(client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
        message: 'no table',
        $metadata: { httpStatusCode: 400 },
      });
    } finally {
      client.destroy();
    }
  });
});
