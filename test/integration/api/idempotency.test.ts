import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, expectErrorDocument, problemFields, sendBody, type ApiHarness } from './harness.ts';

let api: ApiHarness;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  api = await apiHarness();
  [keyA, keyB] = await Promise.all([api.newKey('tenant-a'), api.newKey('tenant-b')]);
});
afterAll(() => api.close());

const post = (key: string, body: unknown, idempotencyKey?: string, path = '/v1/messages') =>
  api.call('POST', path, { key, body, headers: idempotencyKey === undefined ? {} : { 'Idempotency-Key': idempotencyKey } });

describe('Idempotency-Key', () => {
  it('answers the same key and body with the first response and queues nothing new', async () => {
    await api.drainJobs();
    const key = `order-${randomUUID()}`;
    const first = await post(keyA, sendBody(), key);
    expect(first.status).toBe(202);
    expect(await api.drainJobs()).toHaveLength(1);

    const again = await post(keyA, sendBody(), key);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(await api.drainJobs()).toEqual([]);
  });

  it('treats the same body with its keys in another order as the same body', async () => {
    const key = randomUUID();
    const body = sendBody({ tags: { a: '1', b: '2' } });
    const reordered = Object.fromEntries(Object.entries({ ...body, tags: { b: '2', a: '1' } }).reverse());
    const first = await post(keyA, body, key);
    const again = await post(keyA, reordered, key);
    expect(again.body).toEqual(first.body);
    expect(await api.drainJobs()).toHaveLength(1);
  });

  it('answers 409 idempotency_key_reused for the same key with another body', async () => {
    const key = randomUUID();
    expect((await post(keyA, sendBody(), key)).status).toBe(202);
    const conflict = await post(keyA, sendBody({ subject: 'Something else' }), key);
    expectErrorDocument(conflict, 409, 'idempotency_key_reused');
    expect(await api.drainJobs()).toHaveLength(1);
  });

  it('keeps keys per tenant: another tenant may use the same key', async () => {
    const key = randomUUID();
    const a = await post(keyA, sendBody(), key);
    const b = await post(keyB, sendBody(), key);
    expect(b.status).toBe(202);
    expect(b.body.id).not.toBe(a.body.id);
    expect(await api.drainJobs()).toHaveLength(2);
  });

  it('does not keep the key of a refused request, so the corrected request goes through', async () => {
    const key = randomUUID();
    expectErrorDocument(await post(keyA, sendBody({ to: 'nope' }), key), 400, 'invalid_request');
    const fixed = await post(keyA, sendBody(), key);
    expect(fixed.status).toBe(202);
    expect(await api.drainJobs()).toHaveLength(1);
  });

  it('replays a 422 (the same body would be refused again)', async () => {
    await api.call('PUT', '/v1/suppressions/gone@example.com', { key: keyA });
    const key = randomUUID();
    const first = await post(keyA, sendBody({ to: 'gone@example.com' }), key);
    expectErrorDocument(first, 422, 'all_recipients_suppressed');
    const again = await post(keyA, sendBody({ to: 'gone@example.com' }), key);
    expect(again.status).toBe(422);
    expect(again.body).toEqual(first.body);
    expect(await api.drainJobs()).toEqual([]);
  });

  it('applies to batches too', async () => {
    const key = randomUUID();
    const body = { messages: [sendBody({ to: 'x@example.com' }), sendBody({ to: 'y@example.com' })] };
    const first = await post(keyA, body, key, '/v1/messages/batch');
    const again = await post(keyA, body, key, '/v1/messages/batch');
    expect(again.body).toEqual(first.body);
    expect(await api.drainJobs()).toHaveLength(2);
  });

  it('sends once when the same request arrives twice at the same time', async () => {
    const key = randomUUID();
    const answers = await Promise.all([post(keyA, sendBody(), key), post(keyA, sendBody(), key)]);
    const accepted = answers.filter((a) => a.status === 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    for (const other of answers.filter((a) => a.status !== 202)) expectErrorDocument(other, 409, 'idempotency_request_in_progress');
    expect(new Set(accepted.map((a) => a.body.id)).size).toBe(1);
    expect(await api.drainJobs()).toHaveLength(1);
  });

  it('answers 400 for a key that is not 1 to 255 visible ASCII characters', async () => {
    for (const key of ['', 'with space', 'x'.repeat(256), 'ünicode']) {
      const answer = await post(keyA, sendBody(), key);
      expectErrorDocument(answer, 400, 'invalid_request');
      expect(problemFields(answer)).toEqual(['Idempotency-Key']);
    }
    expect(await api.drainJobs()).toEqual([]);
  });
});
