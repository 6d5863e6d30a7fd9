/**
 * The edges of a request: oversized bodies (413), wrong content types (415), deep JSON (400,
 * no stack overflow), broken base64 and UTF-8, and keys that are missing, forged, malformed or
 * revoked (401, all alike).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../lib/domain/api-key.ts';
import { MAX_IMPORT_BYTES, MAX_REQUEST_BYTES, MAX_SEND_REQUEST_BYTES } from '../../lib/topology.ts';
import { apiEvent } from '../integration/api/events.ts';
import { problemFields } from '../integration/api/harness.ts';
import { expectWellFormed, hostileApi, sendBody, type Answer, type HostileApi } from './support.ts';

let h: HostileApi;
beforeAll(async () => {
  h = await hostileApi();
});
afterAll(() => h.api.close());

async function post(
  path: string,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  base64 = false,
): Promise<Answer> {
  const event = apiEvent('POST', path, { key: h.keyA, headers, body, base64 });
  const answer = await h.api.invoke(event);
  expectWellFormed(h.api, event, answer);
  return answer;
}

describe('size', () => {
  const huge = JSON.stringify(sendBody({ text: 'x'.repeat(MAX_REQUEST_BYTES) }));
  // Sends take files in base64: their limit is higher.
  const hugeSend = JSON.stringify(sendBody({ text: 'x'.repeat(MAX_SEND_REQUEST_BYTES) }));

  it.each([
    ['/v1/messages', hugeSend],
    ['/v1/messages/batch', hugeSend],
    ['/v1/attachments', huge],
    ['/v1/lists', huge],
    ['/v1/exports', huge],
    ['/v1/campaigns', huge],
    ['/v1/conversions', huge],
  ])('a body over the limit on %s is a 413', async (path, body) => {
    const answer = await post(path, body);
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('payload_too_large');
  });

  it('counts bytes, not characters: 4-byte characters under the character count are still a 413', async () => {
    const answer = await post('/v1/messages', JSON.stringify(sendBody({ text: '😀'.repeat(MAX_SEND_REQUEST_BYTES / 4 + 1) })));
    expect(answer.status).toBe(413);
  });

  it('a base64 body is measured once decoded, and refused past the limit', async () => {
    expect((await post('/v1/messages', JSON.stringify(sendBody()), undefined, true)).status).toBe(202);
    expect((await post('/v1/messages', hugeSend, undefined, true)).status).toBe(413);
  });

  it('text and html of a send are held to their own limit, below the body limit', async () => {
    const answer = await post('/v1/messages', JSON.stringify(sendBody({ text: 'x'.repeat(MAX_REQUEST_BYTES + 1) })));
    expect(answer.status).toBe(400);
    expect(problemFields(answer)).toEqual(['text']);
  });

  it('an import over its own limit is a 413', async () => {
    const list = await post('/v1/lists', JSON.stringify({ name: 'Big' }));
    const csv = `email\n${'a@example.com\n'.repeat(MAX_IMPORT_BYTES / 14 + 1)}`;
    expect((await post(`/v1/lists/${list.body.id}/contacts/import`, csv, { 'content-type': 'text/csv' })).status).toBe(413);
  });

  it('huge strings within the limit are refused by field, naming it', async () => {
    const answer = await post(
      '/v1/messages',
      JSON.stringify(sendBody({ subject: 's'.repeat(100_000), headers: { 'X-Long': 'v'.repeat(50_000) } })),
    );
    expect(answer.status).toBe(400);
    expect(problemFields(answer)).toEqual(expect.arrayContaining(['subject', 'headers.X-Long']));
  });
});

describe('content type', () => {
  it.each([
    'text/plain',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    'application/xml',
    'application/jsonp',
    'json',
    'text/csv',
  ])('%s on a JSON route is a 415', async (type) => {
    const answer = await post('/v1/messages', JSON.stringify(sendBody()), { 'content-type': type });
    expect(answer.status).toBe(415);
    expect(answer.body.error.code).toBe('unsupported_media_type');
  });

  it('no content type on a JSON body is a 415', async () => {
    expect((await post('/v1/messages', JSON.stringify(sendBody()), {})).status).toBe(415);
  });

  it.each([
    'application/json',
    'APPLICATION/JSON',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'application/vnd.mailroom+json',
  ])('%s is JSON', async (type) => {
    expect((await post('/v1/messages', JSON.stringify(sendBody()), { 'content-type': type })).status).toBe(202);
  });

  it('a charset other than UTF-8 is refused, not misread', async () => {
    const body = Buffer.from(JSON.stringify(sendBody({ subject: 'Grüße' })), 'utf16le').toString('base64');
    const event = apiEvent('POST', '/v1/messages', { key: h.keyA, headers: { 'content-type': 'application/json; charset=utf-16' } });
    Object.assign(event, { body, isBase64Encoded: true });
    const answer = await h.api.invoke(event);
    expectWellFormed(h.api, event, answer);
    expect([400, 415]).toContain(answer.status);
  });
});

describe('malformed bodies', () => {
  it.each([
    ['10,000 nested arrays', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
    ['10,000 nested objects', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
    ['100,000 nested arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['17 levels inside a message', JSON.stringify(sendBody({ metadata: JSON.parse(`${'{"a":'.repeat(17)}1${'}'.repeat(17)}`) }))],
  ])('%s is a 400, not a stack overflow', async (_what, body) => {
    const answer = await post('/v1/messages', body);
    expect(answer.status).toBe(400);
    expect(problemFields(answer).length).toBeGreaterThan(0);
  });

  it.each([
    ['truncated', '{"from":'],
    ['a trailing comma', '{"a":1,}'],
    ['single quotes', "{'a':1}"],
    ['NaN', '{"a":NaN}'],
    ['two documents', '{}{}'],
    ['a NUL', '\u0000'],
    ['a byte-order mark', `\ufeff${JSON.stringify(sendBody())}`],
  ])('JSON with %s is a 400 naming the body', async (_what, body) => {
    const answer = await post('/v1/messages', body);
    expect(answer.status).toBe(400);
    expect(problemFields(answer)).toContain('(body)');
  });

  it.each(['null', '[]', '1', '"text"', 'true', '[{"from":"a@b.co"}]'])('%s is a 400, not a crash', async (body) => {
    const answer = await post('/v1/messages', body);
    expect(answer.status).toBe(400);
  });

  it('invalid UTF-8 in a base64 body is a 400, not a 5xx', async () => {
    const event = apiEvent('POST', '/v1/messages', { key: h.keyA, headers: { 'content-type': 'application/json' } });
    Object.assign(event, { body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0xc3, 0x7d]).toString('base64'), isBase64Encoded: true });
    const answer = await h.api.invoke(event);
    expectWellFormed(h.api, event, answer);
    expect(answer.status).toBe(400);
  });

  it('text that is not base64 under isBase64Encoded is a 400', async () => {
    const event = apiEvent('POST', '/v1/messages', {
      key: h.keyA,
      headers: { 'content-type': 'application/json' },
      body: '{"not": "base64"}',
    });
    Object.assign(event, { isBase64Encoded: true });
    const answer = await h.api.invoke(event);
    expectWellFormed(h.api, event, answer);
    expect(answer.status).toBe(400);
  });
});

describe('keys', () => {
  const unauthorized = async (authorization: string | undefined): Promise<Answer> => {
    const event = apiEvent('POST', '/v1/messages', { headers: authorization === undefined ? {} : { authorization }, body: sendBody() });
    const answer = await h.api.invoke(event);
    expectWellFormed(h.api, event, answer);
    return answer;
  };

  it('missing, forged, malformed and revoked keys all get the same 401', async () => {
    const answers = await Promise.all(
      [
        undefined,
        '',
        `Bearer ${generateApiKey()}`,
        `Bearer ${h.revoked}`,
        `Basic ${Buffer.from(`${h.keyA}:`).toString('base64')}`,
        `Bearer ${h.keyA}x`,
        `Bearer ${h.keyA.slice(0, -1)}`,
        `Bearer ${h.keyA} ${h.keyA}`,
        `Bearer\u0000${h.keyA}`,
        `Bearer ${h.keyA}\r\nX-Injected: 1`,
        `Bearer ${'a'.repeat(10_000)}`,
        h.keyA,
      ].map(unauthorized),
    );
    for (const answer of answers) {
      expect(answer.status, answer.text).toBe(401);
      expect(answer.body).toEqual(answers[0]!.body);
    }
  });

  it('a read-only key cannot send: 403 naming the scope', async () => {
    const event = apiEvent('POST', '/v1/messages', { key: h.readOnly, body: sendBody() });
    const answer = await h.api.invoke(event);
    expectWellFormed(h.api, event, answer);
    expect(answer.status).toBe(403);
    expect(answer.body.error.message).toMatch(/send/);
  });

  it('the scheme is read case-insensitively; the key itself is exact', async () => {
    expect((await unauthorized(`bearer ${h.keyA}`)).status).toBe(202);
    expect((await unauthorized(`Bearer ${h.keyA.toUpperCase()}`)).status).toBe(401);
  });
});
