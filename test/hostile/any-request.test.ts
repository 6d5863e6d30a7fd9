/**
 * Anything at all on any route: generated methods, paths (route templates with `..`, `%2F`,
 * `%00`, unicode and very long segments), query strings, headers, content types, bodies
 * (deep, huge, broken, base64 of invalid UTF-8) and keys (valid, other tenant, read-only,
 * revoked, forged, malformed). The API never answers 5xx, never throws, and every 4xx is an
 * error document naming the problem.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../lib/domain/api-key.ts';
import { apiEvent } from '../integration/api/events.ts';
import {
  expectWellFormed,
  hostileApi,
  hostileBody,
  hostileContentType,
  hostileMethod,
  hostilePath,
  hostileQuery,
  injected,
  runs,
  sendBody,
  type HostileApi,
} from './support.ts';

let h: HostileApi;
beforeAll(async () => {
  h = await hostileApi();
});
afterAll(() => h.api.close());

type KeyKind = 'a' | 'b' | 'read-only' | 'revoked' | 'none' | 'forged' | 'raw';
const keyKind = fc.oneof(
  { weight: 10, arbitrary: fc.constant<KeyKind>('a') },
  { weight: 2, arbitrary: fc.constantFrom<KeyKind>('b', 'read-only', 'revoked', 'none', 'forged') },
  { weight: 2, arbitrary: fc.constant<KeyKind>('raw') },
);
/** Authorization values that are not a key: other schemes, broken bearer forms, injected lines. */
const rawAuthorization = fc.oneof(
  fc.string({ maxLength: 60 }),
  injected.map((s) => `Bearer ${s}`),
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'bearer  ',
    'Basic dXNlcjpwYXNz',
    'Bearer mr_',
    'Bearer mr_live_x',
    `Bearer ${'a'.repeat(5000)}`,
    'Bearer \u0000',
    'Token abc',
  ),
);

function authorization(kind: KeyKind, raw: string): string | undefined {
  switch (kind) {
    case 'a':
      return `Bearer ${h.keyA}`;
    case 'b':
      return `Bearer ${h.keyB}`;
    case 'read-only':
      return `Bearer ${h.readOnly}`;
    case 'revoked':
      return `Bearer ${h.revoked}`;
    case 'forged':
      return `Bearer ${generateApiKey()}`;
    case 'none':
      return undefined;
    case 'raw':
      return raw;
  }
}

/** Extra request headers: random names and values, case twins of the ones the API reads, injected lines. */
const extraHeaders = fc.dictionary(
  fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('Content-Type', 'AUTHORIZATION', 'Idempotency-Key', 'content-length', 'x-forwarded-host', 'host', 'cookie'),
  ),
  fc.oneof(fc.string({ maxLength: 30 }), injected, fc.constant('x'.repeat(9000))),
  { maxKeys: 3 },
);

/** How the body travels: as text, base64 of it, or a base64 flag on text that is not base64 / not UTF-8. */
const encoding = fc.constantFrom('text', 'text', 'text', 'base64', 'not-base64', 'invalid-utf8');

const request = fc.record({
  method: hostileMethod,
  path: hostilePath,
  query: hostileQuery,
  key: keyKind,
  rawKey: rawAuthorization,
  contentType: hostileContentType,
  idempotencyKey: fc.option(fc.oneof(fc.string({ maxLength: 10 }), injected, fc.constant('k'.repeat(2000))), { nil: undefined, freq: 4 }),
  headers: extraHeaders,
  body: fc.option(fc.oneof(hostileBody, fc.constant(JSON.stringify(sendBody()))), { nil: undefined, freq: 6 }),
  encoding,
  bytes: fc.uint8Array({ maxLength: 40 }),
});

describe('any request on any route', () => {
  it('is answered below 500 with a well-formed error document for every 4xx', async () => {
    let statuses: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = { ...r.headers };
        const auth = authorization(r.key, r.rawKey);
        if (auth !== undefined) headers.authorization = auth;
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
        const event = apiEvent(r.method, r.path, {
          headers,
          query: r.query,
          ...(r.body !== undefined && { body: r.body }),
          base64: r.encoding === 'base64',
        });
        if (r.encoding === 'not-base64' && r.body !== undefined) Object.assign(event, { isBase64Encoded: true });
        if (r.encoding === 'invalid-utf8')
          Object.assign(event, { isBase64Encoded: true, body: Buffer.from([0xff, 0xfe, 0xc3, ...r.bytes, 0xe2, 0x82]).toString('base64') });
        const answer = await h.api.invoke(event);
        expectWellFormed(h.api, event, answer);
        statuses = { ...statuses, [answer.status]: (statuses[answer.status] ?? 0) + 1 };
      }),
      { numRuns: runs(2000) },
    );
    // Not all of it bounced off the router or the key check: the checks behind them ran too.
    expect(Object.keys(statuses).map(Number), JSON.stringify(statuses)).toEqual(expect.arrayContaining([400, 401, 404, 405]));
    expect(h.api.log.lines.filter((e) => e.level === 'error')).toEqual([]);
  });
});
