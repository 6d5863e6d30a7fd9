import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSuppressionStore } from '../../../lib/adapters/dynamodb/suppression-store.ts';
import { ValidationError } from '../../../lib/domain/errors.ts';
import type { Suppression } from '../../../lib/domain/suppression.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { recordingClient } from '../../support/recorded-calls.ts';
import { iso, uniqueId } from './factories.ts';

const client = dynamoClient();
let table: string;
let store: DynamoSuppressionStore;

beforeAll(async () => {
  table = (await freshTables(client)).suppressions;
  store = new DynamoSuppressionStore(client, table);
});
afterAll(() => client.destroy());

function entry(tenant: string, email: string, extra: Partial<Suppression> = {}): Suppression {
  return { tenant, email, reason: 'hard_bounce', createdAt: iso(), ...extra };
}

describe('DynamoSuppressionStore', () => {
  it('puts, replaces, gets and deletes an entry', async () => {
    const tenant = uniqueId('tenant');
    const bounced = entry(tenant, 'gone@example.com', { sourceMessageId: 'm-1', detail: '550 5.1.1 no such user' });
    await store.put(bounced);
    expect(await store.get(tenant, 'gone@example.com')).toEqual(bounced);
    expect(await store.get(uniqueId('tenant'), 'gone@example.com')).toBeUndefined();

    const manual = entry(tenant, 'gone@example.com', { reason: 'manual' });
    await store.put(manual);
    expect(await store.get(tenant, 'gone@example.com')).toEqual(manual);

    expect(await store.delete(tenant, 'gone@example.com')).toBe(true);
    expect(await store.delete(tenant, 'gone@example.com')).toBe(false);
    expect(await store.get(tenant, 'gone@example.com')).toBeUndefined();
  });

  it('finds the suppressed addresses among more than 100, for its tenant only', async () => {
    const tenant = uniqueId('tenant');
    const suppressed = Array.from({ length: 130 }, (_, i) => `s${i}@example.com`);
    await Promise.all(suppressed.map((email) => store.put(entry(tenant, email))));
    await store.put(entry(uniqueId('tenant'), 'other@example.com'));

    const asked = [...suppressed, ...Array.from({ length: 120 }, (_, i) => `ok${i}@example.com`), 's1@example.com', 'other@example.com'];
    const found = await store.findMany(tenant, asked);
    expect(found.size).toBe(130);
    expect([...found.keys()].sort()).toEqual([...suppressed].sort());
    expect(found.get('s7@example.com')).toEqual(entry(tenant, 's7@example.com'));
    expect((await store.findMany(tenant, [])).size).toBe(0);
  });

  it('answers lookups of several tenants made moments apart with the reads of one, each tenant getting its own entries', async () => {
    const [a, b] = [uniqueId('tenant'), uniqueId('tenant')];
    await Promise.all([store.put(entry(a, 'x@example.com')), store.put(entry(b, 'y@example.com', { reason: 'complaint' }))]);
    const { client: counting, calls } = recordingClient();
    const coalesced = new DynamoSuppressionStore(counting, table, { coalesce: { windowMs: 20 } });
    // What one lookup reads (the entries, and those of the layout before until its migration is
    // done), once the first has looked for the migration's marker.
    await coalesced.findMany(a, ['x@example.com']);
    calls.length = 0;
    await coalesced.findMany(a, ['x@example.com']);
    const one = calls.length;
    calls.length = 0;

    const [ofA, ofB, ofAAgain] = await Promise.all([
      coalesced.findMany(a, ['x@example.com', 'y@example.com', 'z@example.com']),
      sleep(3).then(() => coalesced.findMany(b, ['x@example.com', 'y@example.com'])),
      sleep(6).then(() => coalesced.findMany(a, ['x@example.com'])),
    ]);
    expect(Object.fromEntries(ofA)).toEqual({ 'x@example.com': entry(a, 'x@example.com') });
    expect(Object.fromEntries(ofB)).toEqual({ 'y@example.com': entry(b, 'y@example.com', { reason: 'complaint' }) });
    expect(Object.fromEntries(ofAAgain)).toEqual(Object.fromEntries(ofA));
    expect(calls.length).toBe(one);
    expect(calls.every((call) => call.command === 'BatchGetItemCommand')).toBe(true);
    counting.destroy();
  });

  it('lists in address order, page by page', async () => {
    const tenant = uniqueId('tenant');
    const emails = ['e@x.com', 'a@x.com', 'g@x.com', 'c@x.com', 'b@x.com', 'f@x.com', 'd@x.com'];
    await Promise.all(emails.map((email) => store.put(entry(tenant, email))));
    await store.put(entry(uniqueId('tenant'), 'a@x.com'));

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list(tenant, { limit: 3, ...(cursor && { cursor }) });
      pages.push(page.items.map((s) => s.email));
      cursor = page.cursor;
    } while (cursor && pages.length < 10);
    expect(pages.flat()).toEqual([...emails].sort());
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
  });

  it('rejects bad cursors, another tenant’s cursor and limits outside 1..1000 with ValidationError', async () => {
    const tenant = uniqueId('tenant');
    await Promise.all(['a@x.com', 'b@x.com'].map((email) => store.put(entry(tenant, email))));
    const { cursor } = await store.list(tenant, { limit: 1 });
    expect(cursor).toBeDefined();

    for (const bad of ['%%%', Buffer.from('{"pk":1,"sk":"a@x.com"}').toString('base64url'), Buffer.from('null').toString('base64url')]) {
      const error = await store.list(tenant, { limit: 5, cursor: bad }).catch((e: unknown) => e);
      expect(error, bad).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toEqual([expect.objectContaining({ field: 'cursor' })]);
    }
    await expect(store.list(uniqueId('tenant'), { limit: 5, cursor: cursor as string })).rejects.toBeInstanceOf(ValidationError);
    for (const limit of [0, 1001, 2.5]) await expect(store.list(tenant, { limit })).rejects.toBeInstanceOf(ValidationError);
    expect((await store.list(tenant, { limit: 1000 })).items).toHaveLength(2);
  });
});
