import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../../lib/domain/api-key.ts';
import { apiHarness, expectErrorDocument, sendBody, type ApiHarness } from './harness.ts';

let api: ApiHarness;
let keyA: string;
let keyB: string;
let readOnlyA: string;
let sendOnlyA: string;
let revokedA: string;

beforeAll(async () => {
  api = await apiHarness();
  [keyA, keyB, readOnlyA, sendOnlyA, revokedA] = await Promise.all([
    api.newKey('tenant-a'),
    api.newKey('tenant-b'),
    api.newKey('tenant-a', ['read']),
    api.newKey('tenant-a', ['send']),
    api.newKey('tenant-a', ['send', 'read'], true),
  ]);
});
afterAll(() => api.close());

describe('authentication', () => {
  it.each<[string, Record<string, string>]>([
    ['no Authorization header', {}],
    ['an empty header', { authorization: '' }],
    ['a scheme other than Bearer', { authorization: `Basic ${Buffer.from('user:pass').toString('base64')}` }],
    ['Bearer without a key', { authorization: 'Bearer ' }],
    ['a malformed key', { authorization: 'Bearer not-a-key' }],
    ['a key of the right shape that does not exist', { authorization: `Bearer ${generateApiKey()}` }],
    ['two keys', { authorization: `Bearer ${generateApiKey()} ${generateApiKey()}` }],
  ])('answers 401 for %s', async (_, headers) => {
    for (const [method, path] of [
      ['GET', '/v1/suppressions'],
      ['POST', '/v1/messages'],
      ['GET', '/v1/reports/daily'],
    ] as const) {
      const answer = await api.call(method, path, { headers, body: method === 'POST' ? sendBody() : undefined });
      expectErrorDocument(answer, 401, 'unauthorized');
    }
  });

  it('answers 401 for a revoked key, exactly as for an unknown one', async () => {
    const revoked = await api.call('GET', '/v1/suppressions', { key: revokedA });
    const unknown = await api.call('GET', '/v1/suppressions', { key: generateApiKey() });
    expectErrorDocument(revoked, 401, 'unauthorized');
    expect(revoked.body).toEqual(unknown.body);
  });

  it('checks the key before reading the body', async () => {
    expectErrorDocument(await api.call('POST', '/v1/messages', { body: '{not json' }), 401, 'unauthorized');
  });

  it('accepts the Bearer scheme in any case and the key with surrounding spaces', async () => {
    expect((await api.call('GET', '/v1/suppressions', { headers: { Authorization: `bearer ${keyA}` } })).status).toBe(200);
    expect((await api.call('GET', '/v1/suppressions', { headers: { authorization: `Bearer   ${keyA}  ` } })).status).toBe(200);
  });

  it('never stores or echoes the key', async () => {
    const answer = await api.call('GET', '/v1/suppressions', { headers: { authorization: `Bearer ${generateApiKey()}` } });
    expect(answer.text).not.toContain('mr_');
  });
});

describe('scopes', () => {
  it('answers 403 to a read-only key on POST, PUT and DELETE, and lets it read', async () => {
    expectErrorDocument(await api.call('POST', '/v1/messages', { key: readOnlyA, body: sendBody() }), 403, 'forbidden');
    expectErrorDocument(
      await api.call('POST', '/v1/messages/batch', { key: readOnlyA, body: { messages: [sendBody()] } }),
      403,
      'forbidden',
    );
    expectErrorDocument(await api.call('PUT', '/v1/suppressions/x@example.com', { key: readOnlyA }), 403, 'forbidden');
    expectErrorDocument(await api.call('DELETE', '/v1/suppressions/x@example.com', { key: readOnlyA }), 403, 'forbidden');
    expect((await api.call('GET', '/v1/suppressions', { key: readOnlyA })).status).toBe(200);
    expect((await api.call('GET', '/v1/reports/daily', { key: readOnlyA, query: { from: '2026-01-01', to: '2026-01-01' } })).status).toBe(
      200,
    );
    expect(await api.drainJobs()).toEqual([]);
  });

  it('answers 403 to a send-only key on reads', async () => {
    expectErrorDocument(await api.call('GET', '/v1/suppressions', { key: sendOnlyA }), 403, 'forbidden');
    expect((await api.call('POST', '/v1/messages', { key: sendOnlyA, body: sendBody() })).status).toBe(202);
    await api.drainJobs();
  });

  it('tells any valid key its tenant and scopes at GET /v1/key, and a missing key 401', async () => {
    const sendOnly = await api.call('GET', '/v1/key', { key: sendOnlyA });
    expect(sendOnly.status).toBe(200);
    expect(sendOnly.body).toEqual({ tenant: 'tenant-a', key_id: expect.any(String), scopes: ['send'], operator: false });
    expect((await api.call('GET', '/v1/key', { key: readOnlyA })).body.scopes).toEqual(['read']);
    expect((await api.call('GET', '/v1/key', { key: keyB })).body).toMatchObject({ tenant: 'tenant-b', scopes: ['send', 'read'] });
    expectErrorDocument(await api.call('GET', '/v1/key', { key: revokedA }), 401, 'unauthorized');
  });

  it('lets an admin key do everything', async () => {
    const admin = await api.newKey('tenant-a', ['admin']);
    expect((await api.call('GET', '/v1/suppressions', { key: admin })).status).toBe(200);
    expect((await api.call('POST', '/v1/messages', { key: admin, body: sendBody() })).status).toBe(202);
    await api.drainJobs();
  });
});

describe('tenant isolation', () => {
  it("answers 404 to tenant B for tenant A's message, as for one that does not exist", async () => {
    const sent = await api.call('POST', '/v1/messages', { key: keyA, body: sendBody() });
    expect(sent.status).toBe(202);
    await api.drainJobs();
    expect((await api.call('GET', `/v1/messages/${sent.body.id}`, { key: keyA })).status).toBe(200);

    const other = await api.call('GET', `/v1/messages/${sent.body.id}`, { key: keyB });
    const missing = await api.call('GET', '/v1/messages/01ZZZZZZZZZZZZZZZZZZZZZZZZ', { key: keyB });
    expectErrorDocument(other, 404, 'not_found');
    expect(other.body).toEqual(missing.body);
  });

  it("keeps tenant A's suppressions from tenant B: not listed, not found, not deletable, not applied to B's mail", async () => {
    expect((await api.call('PUT', '/v1/suppressions/secret@example.com', { key: keyA, body: { reason: 'complaint' } })).status).toBe(200);

    const listB = await api.call('GET', '/v1/suppressions', { key: keyB });
    expect(listB.body.data.map((s: { email: string }) => s.email)).not.toContain('secret@example.com');
    expectErrorDocument(await api.call('GET', '/v1/suppressions/secret@example.com', { key: keyB }), 404, 'not_found');
    expectErrorDocument(await api.call('DELETE', '/v1/suppressions/secret@example.com', { key: keyB }), 404, 'not_found');
    expect((await api.call('GET', '/v1/suppressions/secret@example.com', { key: keyA })).body.reason).toBe('complaint');

    const sentByB = await api.call('POST', '/v1/messages', { key: keyB, body: sendBody({ to: 'secret@example.com' }) });
    expect(sentByB.status).toBe(202);
    expect(sentByB.body.rejected).toEqual([]);
    const sentByA = await api.call('POST', '/v1/messages', { key: keyA, body: sendBody({ to: 'secret@example.com' }) });
    expectErrorDocument(sentByA, 422, 'all_recipients_suppressed');
    await api.drainJobs();
  });

  it("refuses tenant A's page cursor to tenant B", async () => {
    await Promise.all(['p1', 'p2', 'p3'].map((n) => api.call('PUT', `/v1/suppressions/${n}@example.com`, { key: keyA })));
    const page = await api.call('GET', '/v1/suppressions', { key: keyA, query: { limit: '1' } });
    expect(typeof page.body.next_cursor).toBe('string');
    const stolen = await api.call('GET', '/v1/suppressions', { key: keyB, query: { limit: '1', cursor: page.body.next_cursor } });
    expectErrorDocument(stolen, 400, 'invalid_request');
    expect(stolen.body.error.details).toEqual([{ field: 'cursor', message: 'must be a cursor returned by the previous page' }]);
  });
});
