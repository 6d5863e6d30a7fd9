import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../../lib/domain/api-key.ts';
import { MAX_REQUEST_BYTES } from '../../../lib/topology.ts';
import { apiHarness, expectErrorDocument, leaksInternals, sendBody, type ApiHarness } from './harness.ts';
import { apiEvent } from './events.ts';

let api: ApiHarness;
let key: string;
let readOnly: string;

beforeAll(async () => {
  api = await apiHarness();
  [key, readOnly] = await Promise.all([api.newKey('tenant-a'), api.newKey('tenant-a', ['read'])]);
});
afterAll(() => api.close());

describe('routing', () => {
  it.each(['/', '/v1', '/v2/messages', '/v1/message', '/v1/messages/a/b', '/v1/report', '/v1/reports/weekly', '/favicon.ico'])(
    'answers 404 route_not_found for %s',
    async (path) => {
      expectErrorDocument(await api.call('GET', path, { key }), 404, 'route_not_found');
    },
  );

  it('answers 404 for an unknown route before asking for a key', async () => {
    expectErrorDocument(await api.call('GET', '/nowhere'), 404, 'route_not_found');
  });

  it.each<[string, string, string]>([
    ['DELETE', '/v1/messages', 'POST, GET'],
    ['GET', '/v1/messages/batch/', 'GET'],
    // GET /v1/messages/batch is the message with id "batch", so GET is allowed there too.
    ['PUT', '/v1/messages/batch', 'POST, GET'],
    ['POST', '/v1/messages/01JD0000000000000000000000', 'GET'],
    ['POST', '/v1/suppressions', 'GET'],
    ['PATCH', '/v1/suppressions/a@example.com', 'GET, PUT, DELETE'],
    ['POST', '/v1/reports/daily', 'GET'],
    ['OPTIONS', '/v1/messages', 'POST, GET'],
  ])('answers %s %s with 405 and allow: %s', async (method, path, allow) => {
    // GET /v1/messages/batch/ is the message "batch" (404 not found), not a 405.
    const answer = await api.call(method, path, { key });
    if (method === 'GET' && path.startsWith('/v1/messages/batch')) {
      expectErrorDocument(answer, 404, 'not_found');
      return;
    }
    expectErrorDocument(answer, 405, 'method_not_allowed');
    expect(answer.headers.allow).toBe(allow);
  });

  it('reads the method case-insensitively', async () => {
    expect((await api.call('get', '/v1/suppressions', { key })).status).toBe(200);
  });
});

describe('no input crashes the handler', () => {
  const paths = fc.oneof(
    fc.constantFrom('/v1/messages', '/v1/messages/batch', '/v1/suppressions', '/v1/reports/daily', '/v1/messages/', '/'),
    fc.string({ maxLength: 30 }).map((s) => `/v1/messages/${encodeURIComponent(s)}`),
    fc.string({ maxLength: 30 }).map((s) => `/v1/suppressions/${encodeURIComponent(s)}`),
    fc
      .string({ unit: fc.constantFrom('%', 'E', '0', '@', '.', 'a', '/', ' ', '\u00e9', '~'), maxLength: 20 })
      .map((s) => `/v1/suppressions/${s}`),
    fc.webPath(),
  );
  const methods = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'get', '');
  const authorization = fc.oneof(
    { weight: 12, arbitrary: fc.constant<string | undefined>('valid') },
    { weight: 1, arbitrary: fc.constant<string | undefined>('read-only') },
    { weight: 1, arbitrary: fc.constant<string | undefined>(undefined) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
    { weight: 1, arbitrary: fc.constant(`Bearer ${generateApiKey()}`) },
  );
  const contentType = fc.option(
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      '',
      'application/vnd.x+json',
    ),
    {
      nil: undefined,
    },
  );
  const headerValue = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('a\r\nb', 'x'.repeat(300)));
  const sendish = fc
    .record(
      {
        from: fc.oneof(
          fc.constantFrom('a@example.com', 'A <a@example.com>', '"x, y" <a@EXAMPLE.com>', ' '.repeat(500), 'bad'),
          fc.string(),
        ),
        to: fc.oneof(
          fc.constantFrom('b@example.com', 'b@bücher.example', 'nope'),
          fc.array(fc.string({ maxLength: 15 }), { maxLength: 3 }),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        subject: fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.constantFrom('a\r\nb', '\u0000', '\ud800 lone', ''),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        text: fc.oneof(fc.string({ maxLength: 40 }), fc.constant('\udc00\ud800')),
        html: fc.string({ maxLength: 40 }),
        headers: fc.dictionary(fc.string({ maxLength: 12 }), headerValue, { maxKeys: 3 }),
        tags: fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.string({ maxLength: 12 }), fc.integer()), { maxKeys: 3 }),
        metadata: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
        unknown: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    )
    .map((r) => ({ ...sendBody(), ...r }));
  /** Requests that are valid or nearly so: they reach the stores and the queue. */
  const plausible = fc
    .record(
      {
        to: fc.oneof(fc.emailAddress(), fc.array(fc.emailAddress(), { minLength: 1, maxLength: 3 })),
        cc: fc.emailAddress(),
        subject: fc.string({ minLength: 1, maxLength: 40 }),
        html: fc.string({ maxLength: 40 }),
        headers: fc.dictionary(fc.stringMatching(/^X-[A-Za-z0-9-]{1,10}$/), fc.string({ maxLength: 30 }), { maxKeys: 3 }),
        tags: fc.dictionary(fc.stringMatching(/^[a-z0-9_.-]{1,10}$/), fc.string({ maxLength: 12 }), { maxKeys: 3 }),
        metadata: fc.dictionary(
          fc.string({ maxLength: 10 }),
          fc.oneof(
            fc.string({ maxLength: 10 }),
            fc.integer(),
            fc.double({ noNaN: true, noDefaultInfinity: true }),
            fc.boolean(),
            fc.constant(null),
          ),
          { maxKeys: 3 },
        ),
      },
      { requiredKeys: [] },
    )
    .map((r) => JSON.stringify({ ...sendBody(), ...r }));
  const body = fc.oneof(
    { weight: 4, arbitrary: plausible },
    { weight: 4, arbitrary: sendish.map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: fc.array(sendish, { maxLength: 3 }).map((messages) => JSON.stringify({ messages })) },
    { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
    {
      weight: 1,
      arbitrary: fc
        .record(
          {
            reason: fc.oneof(fc.constantFrom('manual', 'complaint', 'spam'), fc.jsonValue({ maxDepth: 1 })),
            detail: fc.jsonValue({ maxDepth: 1 }),
          },
          { requiredKeys: [] },
        )
        .map((b) => JSON.stringify(b)),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]',
        '{"a":',
        `"${'x'.repeat(MAX_REQUEST_BYTES)}"`,
        'null',
        '\u0000',
      ),
    },
  );
  const query = fc.dictionary(
    fc.constantFrom('from', 'to', 'limit', 'cursor', 'x'),
    fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom('2026-01-01', '2026-02-29', '0000-01-01', '9999-12-31', '1', '1000', 'eyJwayI6InRlbmFudC1hIiwic2siOiJhIn0'),
    ),
    { maxKeys: 3 },
  );
  const email = fc.oneof(
    fc.emailAddress(),
    fc.constantFrom('Bob@Example.COM', 'user@bücher.example', 'a@b', '"q u"@example.com'),
    fc.string({ maxLength: 20 }),
  );
  const sendBodyText = sendish.map((b) => JSON.stringify(b));
  const batchBodyText = fc.oneof(
    fc
      .array(
        fc.oneof(plausible, sendBodyText).map((t) => JSON.parse(t) as unknown),
        { maxLength: 3 },
      )
      .map((messages) => JSON.stringify({ messages })),
    fc.json({ maxDepth: 3 }),
  );
  /** Mostly requests a client could mean (a real route with a fitting body), sometimes anything. */
  const endpoint = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        method: fc.constant('POST'),
        path: fc.constant('/v1/messages'),
        body: fc.option(fc.oneof({ weight: 2, arbitrary: sendBodyText }, body), { nil: undefined, freq: 10 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        method: fc.constant('POST'),
        path: fc.constant('/v1/messages/batch'),
        body: fc.option(batchBodyText, { nil: undefined, freq: 10 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        method: fc.constant('GET'),
        path: fc.string({ maxLength: 30 }).map((s) => `/v1/messages/${encodeURIComponent(s)}`),
        body: fc.constant(undefined),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ method: fc.constant('GET'), path: fc.constant('/v1/suppressions'), body: fc.constant(undefined) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        method: fc.constantFrom('GET', 'PUT', 'DELETE'),
        path: email.map((e) => `/v1/suppressions/${encodeURIComponent(e)}`),
        body: fc.option(body, { nil: undefined }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ method: fc.constant('GET'), path: fc.constant('/v1/reports/daily'), body: fc.constant(undefined) }),
    },
    { weight: 2, arbitrary: fc.record({ method: methods, path: paths, body: fc.option(body, { nil: undefined }) }) },
  );
  const request = fc.record({
    endpoint,
    authorization,
    contentType: fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, contentType),
    idempotencyKey: fc.option(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('fixed-key', 'other-key')), { nil: undefined }),
    base64: fc.boolean(),
    query,
    extraHeaders: fc.dictionary(
      fc.oneof(fc.string({ maxLength: 15 }), fc.constantFrom('Content-Length', 'X-Forwarded-For', 'Cookie')),
      fc.string({ maxLength: 30 }),
      { maxKeys: 3 },
    ),
  });

  it('answers every request below 500, with an error document and no internals for every 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = { ...r.extraHeaders };
        if (r.authorization === 'valid') headers.authorization = `Bearer ${key}`;
        else if (r.authorization === 'read-only') headers.authorization = `Bearer ${readOnly}`;
        else if (r.authorization !== undefined) headers.authorization = r.authorization;
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
        const { method, path, body: text } = r.endpoint;
        const event = apiEvent(method, path, { headers, query: r.query, ...(text !== undefined && { body: text }), base64: r.base64 });
        const answer = await api.invoke(event);
        const label = `${method} ${path} → ${answer.status} ${answer.text.slice(0, 300)}`;
        // On a 5xx, say what the handler logged: the answer itself (rightly) says nothing.
        expect(answer.status, `${label} ${JSON.stringify(api.log.lines.filter((e) => e.level === 'error').at(-1))}`).toBeLessThan(500);
        expect([200, 202, 204, 400, 401, 403, 404, 405, 409, 413, 415, 422], label).toContain(answer.status);
        if (answer.status >= 400) {
          expect(typeof answer.body?.error?.code, label).toBe('string');
          expect(typeof answer.body?.error?.message, label).toBe('string');
          expect(answer.body.error.message.length, label).toBeGreaterThan(0);
        }
        expect(leaksInternals(answer.text), label).toBe(false);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
    expect(api.log.lines.filter((e) => e.level === 'error')).toEqual([]);
    await api.drainJobs();
  });
});
