/**
 * Shared parts of the hostile-input tests: the real API handler (over DynamoDB Local and the
 * SQS emulator) with keys for two tenants, the invariants every answer must keep, and cheap
 * fast-check arbitraries for requests.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { apiHarness, leaksInternals, sendBody, type Answer, type ApiHarness } from '../integration/api/harness.ts';
import { apiEvent } from '../integration/api/events.ts';

export { sendBody, type Answer, type ApiHarness };

/** The handler with a key of each kind. */
export interface HostileApi {
  api: ApiHarness;
  /** Tenant A, scopes send and read. */
  keyA: string;
  /** Tenant B, scopes send and read. */
  keyB: string;
  /** Tenant A, read only. */
  readOnly: string;
  /** Tenant A, revoked. */
  revoked: string;
}

/** Builds the handler on fresh tables and queues and seeds the keys. */
export async function hostileApi(): Promise<HostileApi> {
  const api = await apiHarness();
  const [keyA, keyB, readOnly, revoked] = await Promise.all([
    api.newKey('tenant-a'),
    api.newKey('tenant-b'),
    api.newKey('tenant-a', ['read']),
    api.newKey('tenant-a', ['send', 'read'], true),
  ]);
  return { api, keyA, keyB, readOnly, revoked };
}

/** Statuses the API may answer to anything a client sends (no dependency is made to fail here). */
export const CLIENT_STATUSES = [200, 201, 202, 204, 400, 401, 403, 404, 405, 409, 413, 415, 422];

/** A short label of a request and its answer for assertion messages. */
export function label(event: APIGatewayProxyEventV2, answer: Answer): string {
  const body = event.body === undefined ? '' : ` body=${JSON.stringify(event.body.slice(0, 200))}`;
  return `${event.requestContext.http.method} ${JSON.stringify(event.rawPath.slice(0, 200))}${body} → ${answer.status} ${answer.text.slice(0, 300)}`;
}

/**
 * The invariants of every answer: below 500 and one of the statuses a client can cause; every
 * 4xx is `{error:{code,message}}` with both non-empty; every 400 names the offending field(s)
 * in `details`; nothing internal leaks.
 */
export function expectWellFormed(api: ApiHarness, event: APIGatewayProxyEventV2, answer: Answer): void {
  const where = label(event, answer);
  const lastError = api.log.lines.filter((e) => e.level === 'error').at(-1);
  // Errors in the log entry shown with their stack (JSON.stringify alone writes `{}` for them).
  const shown = JSON.stringify(lastError, (_key, value: unknown) => (value instanceof Error ? (value.stack ?? String(value)) : value));
  expect(answer.status, `${where} ${shown}`).toBeLessThan(500);
  expect(CLIENT_STATUSES, where).toContain(answer.status);
  expect(leaksInternals(answer.text), where).toBe(false);
  if (answer.status < 400) return;
  const error = answer.body?.error;
  expect(typeof error?.code === 'string' && error.code.length > 0, where).toBe(true);
  expect(typeof error?.message === 'string' && error.message.trim().length > 0, where).toBe(true);
  if (answer.status === 400) {
    const details: unknown = error.details;
    expect(Array.isArray(details) && details.length > 0, `${where}: a 400 names its fields`).toBe(true);
    for (const problem of details as { field?: unknown; message?: unknown }[]) {
      expect(typeof problem.field === 'string' && problem.field.length > 0, where).toBe(true);
      expect(typeof problem.message === 'string' && problem.message.length > 0, where).toBe(true);
    }
  }
}

/** Invokes the handler and checks the invariants; returns the answer. */
export async function invokeChecked(api: ApiHarness, event: APIGatewayProxyEventV2): Promise<Answer> {
  const answer = await api.invoke(event);
  expectWellFormed(api, event, answer);
  return answer;
}

/** An event whose body is given as raw text with the headers exactly as listed (no content type added). */
export function rawEvent(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
  base64 = false,
): APIGatewayProxyEventV2 {
  const event = apiEvent(method, path, { headers, ...(body !== undefined && { body }), base64 });
  return event;
}

/** Number of runs of a property: `HOSTILE_RUNS_SCALE` (default 1) scales every count. */
export function runs(count: number): number {
  const scale = Number(process.env.HOSTILE_RUNS_SCALE ?? 1);
  return Math.max(1, Math.round(count * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** Characters that end or split a header line somewhere (CR, LF, NUL, other C0, DEL). */
export const BREAKERS = ['\r', '\n', '\r\n', '\u0000', '\u000b', '\u000c', '\u007f', '\u001b'];

/** A string with one line breaker inside, e.g. `a\r\nBcc: evil@example.net`. */
export const injected = fc
  .tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...BREAKERS), fc.constantFrom('Bcc: evil@example.net', 'X-Injected: 1', '', 'b'))
  .map(([before, breaker, after]) => `${before}${breaker}${after}`);

/** Path segments that try to escape or confuse the router. */
export const hostileSegment = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '%2E%2E',
    '%2F',
    '..%2F..%2Fetc%2Fpasswd',
    '%00',
    '%',
    '%zz',
    '%E0%A4%A',
    'a%2Fb',
    '\u0000',
    '😀',
    '%F0%9F%98%80',
    ' ',
    '%20',
    '~',
    '*',
    "'",
    '"',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ maxLength: 12, unit: 'binary' }),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.nat({ max: 4000 }).map((n) => 'x'.repeat(n)),
);

/** Known route templates with each `{param}` replaced by a generated segment. */
export const ROUTE_TEMPLATES = [
  '/v1/messages',
  '/v1/messages/batch',
  '/v1/messages/{}',
  '/v1/messages/{}/cancel',
  '/v1/suppressions',
  '/v1/suppressions/{}',
  '/v1/reports',
  '/v1/reports/daily',
  '/v1/exports',
  '/v1/exports/{}',
  '/v1/lists',
  '/v1/lists/{}',
  '/v1/lists/{}/contacts',
  '/v1/lists/{}/contacts/import',
  '/v1/lists/{}/contacts/imports/{}',
  '/v1/lists/{}/contacts/{}',
  '/v1/lists/{}/stats',
  '/v1/campaigns',
  '/v1/campaigns/{}',
  '/v1/campaigns/{}/stats',
  '/v1/templates',
  '/v1/templates/{}',
  '/v1/templates/{}/render',
  '/v1/conversions',
];

export const hostilePath = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom(...ROUTE_TEMPLATES), fc.array(hostileSegment, { minLength: 2, maxLength: 2 }))
      .map(([t, [a, b]]) => t.replace('{}', a!).replace('{}', b!)),
  },
  { weight: 1, arbitrary: fc.constantFrom(...ROUTE_TEMPLATES).map((t) => `${t.replaceAll('{}', 'x')}/`) },
  { weight: 1, arbitrary: fc.constantFrom(...ROUTE_TEMPLATES).map((t) => `//${t.replaceAll('{}', 'x')}//`) },
  { weight: 1, arbitrary: fc.webPath() },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

export const hostileMethod = fc.constantFrom(
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'TRACE',
  'get',
  'pOsT',
  '',
  'GET\r\n',
  'CONNECT',
);

export const hostileContentType = fc.option(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'APPLICATION/JSON',
    'application/problem+json',
    'application/jsonx',
    'application/json\r\nX-Injected: 1',
    'text/plain',
    'text/csv',
    'multipart/form-data; boundary=----x',
    'application/x-www-form-urlencoded',
    'application/xml',
    '',
    ';',
    'application/json;;;;',
    '\u0000',
  ),
  { nil: undefined, freq: 8 },
);

/** Query strings with the names the API reads and some it does not. */
export const hostileQuery = fc.dictionary(
  fc.constantFrom('from', 'to', 'limit', 'cursor', 'status', 'reason', 'tag', 'list', 'campaign', 'x', '__proto__', 'constructor'),
  fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom(
      '2026-01-01',
      '2026-02-30',
      '-1',
      '0',
      '1e9',
      'NaN',
      '100000',
      '9'.repeat(400),
      'eyJwayI6InRlbmFudC1iIiwic2siOiJ4In0',
      '%00',
      '\u0000',
    ),
  ),
  { maxKeys: 3 },
);

/** Bodies from nothing at all to deep, huge or broken JSON. */
export const hostileBody = fc.oneof(
  { weight: 3, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60, unit: 'binary' }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'null',
      'true',
      '[]',
      '{}',
      '{"a":',
      '\u0000',
      '\ufeff{}',
      '{"__proto__":{"x":1}}',
      '{"constructor":{"prototype":{}}}',
    ),
  },
  { weight: 1, arbitrary: fc.nat({ max: 12_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.nat({ max: 12_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`) },
);
