/**
 * GET /v1/messages/{id}/content through the local runtime: the content as the sender gave it
 * (the html before tracking rewrote it, the text, the custom headers, the files' names and
 * sizes), the same answer once the message is delivered, "not found" for another tenant, 410
 * once the body item is gone, and no body in any log line.
 */
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoApiKeyStore } from '../../../lib/adapters/dynamodb/api-key-store.ts';
import { bodyKey } from '../../../lib/adapters/dynamodb/message-items.ts';
import { generateApiKey, hashApiKey, keyPrefix } from '../../../lib/domain/api-key.ts';
import { ENV } from '../../../lib/env.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { memoryLog, type MemoryLog } from '../../support/fakes/index.ts';
import { call, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import { waitFor } from '../../support/wait.ts';

// Markers that no log line may carry.
const TEXT = 'Plain words only the text part holds: zebra-7731.';
const HTML =
  '<html><body><p>Hello <b>Ann</b>, quokka-5520.</p><p><a href="https://shop.test/sale?x=1&amp;y=2">See the sale</a></p>' +
  '<img src="https://images.shop.test/banner.png" alt="banner"></body></html>';
const PDF = Buffer.from('%PDF-1.7\n% a small file\n%%EOF\n');

let runtime: LocalRuntime;
let log: MemoryLog;
let otherKey: string;

beforeAll(async () => {
  log = memoryLog();
  runtime = await startPipeline({ log });
  otherKey = generateApiKey();
  await new DynamoApiKeyStore(runtime.dynamo, runtime.env[ENV.apiKeysTable]!).put({
    hash: hashApiKey(otherKey),
    prefix: keyPrefix(otherKey),
    tenant: 'other',
    scopes: ['read'],
    createdAt: new Date().toISOString(),
  });
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
});

/** Sends a message with tracking on, and the files and headers given; returns its id. */
async function send(extra: Record<string, unknown> = {}): Promise<string> {
  const sent = await call(runtime, 'POST', '/v1/messages', {
    from: 'Shop <news@shop.test>',
    to: 'Ann <ann@example.test>',
    subject: 'Our sale',
    text: TEXT,
    html: HTML,
    headers: { 'X-Campaign': 'spring', 'X-Entity-Ref-ID': 'r-1' },
    tracking: { clicks: true, opens: true },
    ...extra,
  });
  expect(sent.status).toBe(202);
  return sent.body.id as string;
}

const content = (id: string, key?: string) =>
  call(runtime, 'GET', `/v1/messages/${id}/content`, undefined, key ? { authorization: `Bearer ${key}` } : {});

describe('GET /v1/messages/{id}/content', () => {
  it('answers the content as the sender gave it, before and after delivery, while the delivered html is tracked', async () => {
    const id = await send({ attachments: [{ filename: 'terms.pdf', content: PDF.toString('base64') }] });
    const expected = {
      id,
      subject: 'Our sale',
      text: TEXT,
      html: HTML,
      headers: { 'X-Campaign': 'spring', 'X-Entity-Ref-ID': 'r-1' },
      attachments: [{ filename: 'terms.pdf', content_type: 'application/pdf', size: PDF.length }],
    };
    const before = await content(id);
    expect(before.status).toBe(200);
    expect(before.body).toEqual(expected);

    await waitForMessage(runtime, id, (m) => m.status === 'sent');
    const mail = await waitFor(
      () =>
        runtime.capture!.messages().find((m) => m.headers.some(([name, value]) => name.toLowerCase() === 'x-mailroom-id' && value === id)),
      (found) => found !== undefined,
      { message: `the delivered copy of ${id}` },
    );
    // What went out has mailroom's click links and pixel; the content does not.
    expect(mail!.html).toMatch(/\/t\/c\//);
    expect(mail!.html).not.toBe(HTML);
    const after = await content(id);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(expected);
  });

  it('answers a message without html or files with text alone, and empty headers and files', async () => {
    const sent = await call(runtime, 'POST', '/v1/messages', {
      from: 'news@shop.test',
      to: 'bob@example.test',
      subject: 'Plain',
      text: 'Just text.',
    });
    expect(sent.status).toBe(202);
    const answer = await content(sent.body.id);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ id: sent.body.id, subject: 'Plain', text: 'Just text.', headers: {}, attachments: [] });
  });

  it('answers another tenant 404 not_found, exactly as for an unknown or malformed id', async () => {
    const id = await send();
    const mine = await content(id);
    expect(mine.status).toBe(200);
    const theirs = await content(id, otherKey);
    const unknown = await content('01ZZZZZZZZZZZZZZZZZZZZZZZZ', otherKey);
    const malformed = await content('A'.repeat(65), otherKey);
    for (const answer of [theirs, unknown, malformed]) {
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ error: { code: 'not_found', message: 'Message not found.' } });
    }
    // Without a key, nothing at all.
    const anonymous = await fetch(`${runtime.apiUrl}/v1/messages/${id}/content`);
    expect(anonymous.status).toBe(401);
  });

  it('answers 410 content_expired once the body item is gone while the message is still listed', async () => {
    const id = await send();
    // DynamoDB's TTL removes a message's items one by one: here the body item went first.
    await runtime.dynamo.send(new DeleteItemCommand({ TableName: runtime.env[ENV.messagesTable]!, Key: bodyKey(id) }));
    const answer = await content(id);
    expect(answer.status).toBe(410);
    expect(answer.body.error.code).toBe('content_expired');
    expect((await call(runtime, 'GET', `/v1/messages/${id}`)).status).toBe(200);
  });

  it('writes no body into any log line', () => {
    expect(log.lines.length).toBeGreaterThan(0);
    const logged = JSON.stringify(log.lines);
    for (const marker of ['zebra-7731', 'quokka-5520', '%PDF']) expect(logged).not.toContain(marker);
  });
});
