import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, expectErrorDocument, problemFields, type ApiHarness } from './harness.ts';

let api: ApiHarness;
let key: string;

beforeAll(async () => {
  api = await apiHarness();
  key = await api.newKey('tenant-a');
});
afterAll(() => api.close());

const path = (email: string) => `/v1/suppressions/${encodeURIComponent(email)}`;

describe('PUT, GET and DELETE /v1/suppressions/{email}', () => {
  it('adds an entry with a reason, shows it, deletes it (204), then answers 404', async () => {
    const put = await api.call('PUT', path('bounced@example.com'), {
      key,
      body: { reason: 'hard_bounce', detail: '550 5.1.1 no such user' },
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      email: 'bounced@example.com',
      reason: 'hard_bounce',
      detail: '550 5.1.1 no such user',
      created_at: expect.any(String),
    });
    expect(Date.parse(put.body.created_at)).not.toBeNaN();

    const get = await api.call('GET', path('bounced@example.com'), { key });
    expect(get.status).toBe(200);
    expect(get.body).toEqual(put.body);

    const del = await api.call('DELETE', path('bounced@example.com'), { key });
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expectErrorDocument(await api.call('GET', path('bounced@example.com'), { key }), 404, 'not_found');
    expectErrorDocument(await api.call('DELETE', path('bounced@example.com'), { key }), 404, 'not_found');
  });

  it('takes every documented reason, manual when none is given, and replaces an entry', async () => {
    for (const reason of ['hard_bounce', 'complaint', 'unsubscribe', 'manual']) {
      expect((await api.call('PUT', path('r@example.com'), { key, body: { reason } })).body.reason).toBe(reason);
    }
    expect((await api.call('PUT', path('none@example.com'), { key })).body.reason).toBe('manual');
    expect((await api.call('PUT', path('empty@example.com'), { key, body: {} })).body.reason).toBe('manual');
    expect((await api.call('GET', path('r@example.com'), { key })).body.reason).toBe('manual');
  });

  it('compares the domain case-insensitively and the local part exactly', async () => {
    await api.call('PUT', path('Bob@example.com'), { key, body: { reason: 'complaint' } });
    const found = await api.call('GET', path('Bob@Example.COM'), { key });
    expect(found.status).toBe(200);
    expect(found.body.email).toBe('Bob@example.com');
    expectErrorDocument(await api.call('GET', path('bob@example.com'), { key }), 404, 'not_found');
    // Unencoded @ in the path works too.
    expect((await api.call('GET', '/v1/suppressions/Bob@EXAMPLE.com', { key })).status).toBe(200);
    expect((await api.call('DELETE', path('Bob@EXAMPLE.COM'), { key })).status).toBe(204);
    expectErrorDocument(await api.call('GET', path('Bob@example.com'), { key }), 404, 'not_found');
  });

  it('stores an IDN domain in its ASCII form and finds it by either form', async () => {
    const put = await api.call('PUT', path('user@bücher.example'), { key });
    expect(put.body.email).toBe('user@xn--bcher-kva.example');
    expect((await api.call('GET', path('user@XN--BCHER-KVA.example'), { key })).status).toBe(200);
    expect((await api.call('GET', path('user@BÜCHER.example'), { key })).status).toBe(200);
  });

  it.each<[string, string, unknown, string]>([
    ['an invalid address', 'not-an-address', { reason: 'manual' }, 'email'],
    ['an address without a dot in the domain', 'a@b', { reason: 'manual' }, 'email'],
    ['an address with a path after it', 'a@example.com/x', { reason: 'manual' }, 'email'],
    ['an unknown reason', 'a@example.com', { reason: 'spam' }, 'reason'],
    ['a reason that is not a string', 'a@example.com', { reason: 1 }, 'reason'],
    ['an unknown field', 'a@example.com', { reason: 'manual', until: '2030-01-01' }, 'until'],
    ['a detail that is not a string', 'a@example.com', { detail: 5 }, 'detail'],
    ['a detail that is too long', 'a@example.com', { detail: 'x'.repeat(1001) }, 'detail'],
    ['a body that is not an object', 'a@example.com', [1], '(body)'],
  ])('answers 400 for %s', async (_, email, body, field) => {
    const answer = await api.call('PUT', path(email), { key, body });
    expectErrorDocument(answer, 400, 'invalid_request');
    expect(problemFields(answer)).toContain(field);
  });

  it('answers 400 for an invalid address on GET and DELETE, and 415 for a body that is not JSON', async () => {
    expectErrorDocument(await api.call('GET', path('nope'), { key }), 400, 'invalid_request');
    expectErrorDocument(await api.call('DELETE', path('nope'), { key }), 400, 'invalid_request');
    expectErrorDocument(await api.call('GET', '/v1/suppressions/%E0%A4%A', { key }), 400, 'invalid_request');
    expectErrorDocument(
      await api.call('PUT', path('a@example.com'), {
        key,
        body: 'reason=manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'unsupported_media_type',
    );
  });
});

describe('GET /v1/suppressions', () => {
  it('lists every entry across pages of `limit`, following next_cursor to null', async () => {
    const tenantKey = await api.newKey('tenant-list');
    const emails = Array.from({ length: 7 }, (_, i) => `user${i}@list.example`);
    await Promise.all(emails.map((email) => api.call('PUT', path(email), { key: tenantKey, body: { reason: 'unsubscribe' } })));

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const answer = await api.call('GET', '/v1/suppressions', { key: tenantKey, query: { limit: '3', ...(cursor && { cursor }) } });
      expect(answer.status).toBe(200);
      expect(answer.body.data.length).toBeLessThanOrEqual(3);
      for (const entry of answer.body.data)
        expect(entry).toEqual({ email: expect.any(String), reason: 'unsubscribe', created_at: expect.any(String) });
      seen.push(...answer.body.data.map((s: { email: string }) => s.email));
      cursor = answer.body.next_cursor ?? undefined;
      if (cursor !== undefined) expect(typeof cursor).toBe('string');
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...emails].sort());
  });

  it('returns an empty page with next_cursor null for a tenant without entries', async () => {
    const empty = await api.newKey('tenant-empty');
    expect((await api.call('GET', '/v1/suppressions', { key: empty })).body).toEqual({ data: [], next_cursor: null });
  });

  it.each(['0', '1001', '-1', '2.5', 'ten', ''])('answers 400 for limit=%j', async (limit) => {
    const answer = await api.call('GET', '/v1/suppressions', { key, query: { limit } });
    expectErrorDocument(answer, 400, 'invalid_request');
    expect(problemFields(answer)).toEqual(['limit']);
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['base64 of something else', Buffer.from('{"x":1}').toString('base64url')],
    ['base64 of text', Buffer.from('hello').toString('base64url')],
    ['a key of another tenant', Buffer.from(JSON.stringify({ pk: 'tenant-b', sk: 'a@example.com' })).toString('base64url')],
    ['a key with extra attributes', Buffer.from(JSON.stringify({ pk: 'tenant-a', sk: 'a@example.com', x: 'y' })).toString('base64url')],
    ['a cursor too long to be one', 'A'.repeat(5000)],
  ])('answers 400 (never 500) for a forged cursor: %s', async (_, cursor) => {
    const answer = await api.call('GET', '/v1/suppressions', { key, query: { cursor } });
    expectErrorDocument(answer, 400, 'invalid_request');
    expect(problemFields(answer)).toEqual(['cursor']);
  });
});
