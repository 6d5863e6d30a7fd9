import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { DynamoContactStore } from '../../../lib/adapters/dynamodb/contact-store.ts';
import { UnprocessedItemsError } from '../../../lib/adapters/dynamodb/errors.ts';
import { ValidationError } from '../../../lib/domain/errors.ts';
import type { Contact } from '../../../lib/domain/mailing-list.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { iso, uniqueId } from './factories.ts';

const client = dynamoClient();
let table: string;
let store: DynamoContactStore;

beforeAll(async () => {
  table = (await freshTables(client)).contacts;
  store = new DynamoContactStore(client, table);
});
afterAll(() => client.destroy());

function contact(tenant: string, listId: string, email: string, extra: Partial<Contact> = {}): Contact {
  return { tenant, listId, email, attributes: { first_name: 'Ada' }, status: 'subscribed', createdAt: iso(), updatedAt: iso(), ...extra };
}

/** Every contact of a list, through the pages. */
async function all(s: DynamoContactStore, tenant: string, listId: string, limit = 1000): Promise<Contact[]> {
  const out: Contact[] = [];
  let cursor: string | undefined;
  do {
    const page = await s.page(tenant, listId, { limit, ...(cursor && { cursor }) });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/**
 * A client whose BatchWriteItem writes only part of each call and hands the rest back as
 * unprocessed (what DynamoDB does when it throttles): `keep(requests)` says how many to write.
 */
function throttling(keep: (requests: WriteRequest[]) => number): { client: DynamoDBClient; calls: number[] } {
  const calls: number[] = [];
  const fake = {
    send: async (command: unknown) => {
      if (!(command instanceof BatchWriteItemCommand)) return client.send(command as never);
      const requests = command.input.RequestItems?.[table] ?? [];
      calls.push(requests.length);
      const n = keep(requests);
      if (n > 0) await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests.slice(0, n) } }));
      return n < requests.length ? { UnprocessedItems: { [table]: requests.slice(n) } } : { UnprocessedItems: {} };
    },
  };
  return { client: fake as unknown as DynamoDBClient, calls };
}

describe('DynamoContactStore: one contact', () => {
  it('puts, replaces, gets and deletes a contact with every kind of attribute, per tenant and list', async () => {
    const tenant = uniqueId('tenant');
    const listId = ulid();
    const ada = contact(tenant, listId, 'Ada@example.com', {
      attributes: { first_name: 'Ada', age: 36, ratio: 0.25, vip: true, note: null, empty: '' },
    });
    await store.put(ada);
    expect(await store.get(tenant, listId, 'Ada@example.com')).toEqual(ada);
    expect(await store.get(tenant, listId, 'ada@example.com')).toBeUndefined();
    expect(await store.get(tenant, ulid(), 'Ada@example.com')).toBeUndefined();
    expect(await store.get(uniqueId('tenant'), listId, 'Ada@example.com')).toBeUndefined();

    const replaced = { ...ada, attributes: {}, status: 'unsubscribed' as const };
    await store.put(replaced);
    expect(await store.get(tenant, listId, 'Ada@example.com')).toEqual(replaced);

    expect(await store.delete(tenant, listId, 'Ada@example.com')).toBe(true);
    expect(await store.delete(tenant, listId, 'Ada@example.com')).toBe(false);
  });

  it('sets the status of an existing contact only', async () => {
    const tenant = uniqueId('tenant');
    const listId = ulid();
    await store.put(contact(tenant, listId, 'a@example.com'));
    expect(await store.setStatus(tenant, listId, 'a@example.com', 'unsubscribed', iso(1000))).toBe(true);
    expect(await store.get(tenant, listId, 'a@example.com')).toMatchObject({
      status: 'unsubscribed',
      updatedAt: iso(1000),
      attributes: { first_name: 'Ada' },
    });
    expect(await store.setStatus(tenant, listId, 'missing@example.com', 'unsubscribed', iso())).toBe(false);
    expect(await store.get(tenant, listId, 'missing@example.com')).toBeUndefined();
  });
});

describe('DynamoContactStore: many contacts', () => {
  it('writes 2,600 contacts in batches, reads them back by address and page by page, then deletes them', async () => {
    const tenant = uniqueId('tenant');
    const listId = ulid();
    const contacts = Array.from({ length: 2600 }, (_, i) =>
      contact(tenant, listId, `user${String(i).padStart(5, '0')}@example.com`, { attributes: { n: i } }),
    );
    await store.putMany(contacts);
    await store.put(contact(tenant, ulid(), 'other-list@example.com'));

    const stored = await all(store, tenant, listId, 700);
    expect(stored).toHaveLength(2600);
    expect(stored.map((c) => c.email)).toEqual(contacts.map((c) => c.email));
    expect(stored[1234]).toEqual(contacts[1234]);

    const asked = [...contacts.slice(0, 150).map((c) => c.email), 'nobody@example.com', 'user00001@example.com'];
    const found = await store.getMany(tenant, listId, asked);
    expect(found.size).toBe(150);
    expect(found.get('user00149@example.com')).toEqual(contacts[149]);
    expect((await store.getMany(tenant, listId, [])).size).toBe(0);
    // Addresses spread over the whole list: the range holds too many others, BatchGetItem finds them.
    const spread = contacts.filter((_, i) => i % 40 === 0).map((c) => c.email);
    const sparse = await store.getMany(tenant, listId, [...spread, 'zz@example.com']);
    expect([...sparse.keys()].sort()).toEqual(spread);

    await store.deleteMany(tenant, listId, [...contacts.map((c) => c.email), 'nobody@example.com']);
    expect(await all(store, tenant, listId)).toEqual([]);
  });

  it('writes the later of two contacts with one address in the same call', async () => {
    const tenant = uniqueId('tenant');
    const listId = ulid();
    await store.putMany([
      contact(tenant, listId, 'a@example.com', { attributes: { v: 1 } }),
      contact(tenant, listId, 'a@example.com', { attributes: { v: 2 } }),
    ]);
    expect((await store.get(tenant, listId, 'a@example.com'))?.attributes).toEqual({ v: 2 });
  });

  it('retries what DynamoDB leaves unprocessed until every contact is written', async () => {
    const tenant = uniqueId('tenant');
    const listId = ulid();
    // Each call writes half of what it is given (at least one).
    const flaky = throttling((requests) => Math.max(1, Math.floor(requests.length / 2)));
    const throttled = new DynamoContactStore(flaky.client, table, { batchWrite: { baseDelayMs: 1 } });
    const contacts = Array.from({ length: 100 }, (_, i) => contact(tenant, listId, `t${i}@example.com`));
    await throttled.putMany(contacts);
    expect((await all(store, tenant, listId)).map((c) => c.email).sort()).toEqual(contacts.map((c) => c.email).sort());
    expect(flaky.calls.length).toBeGreaterThan(4);
    expect(Math.max(...flaky.calls)).toBe(25);
  });

  it('throws UnprocessedItemsError when items stay unprocessed after the last try, instead of losing them', async () => {
    const stuck = throttling(() => 0);
    const throttled = new DynamoContactStore(stuck.client, table, { batchWrite: { baseDelayMs: 1, maxTries: 3 } });
    const contacts = Array.from({ length: 30 }, (_, i) => contact(uniqueId('tenant'), ulid(), `s${i}@example.com`));
    const error = await throttled.putMany(contacts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessedItemsError);
    await expect(throttled.deleteMany('t', ulid(), ['a@example.com'])).rejects.toBeInstanceOf(UnprocessedItemsError);
    // Two batches (25 + 5), each tried three times.
    expect(stuck.calls.filter((n) => n === 25)).toHaveLength(3);
  });

  it('refuses a cursor of another list or tenant, and limits outside 1..1000', async () => {
    const tenant = uniqueId('tenant');
    const listId = ulid();
    await store.putMany([contact(tenant, listId, 'a@example.com'), contact(tenant, listId, 'b@example.com')]);
    const { cursor } = await store.page(tenant, listId, { limit: 1 });
    expect(cursor).toBeDefined();
    await expect(store.page(tenant, ulid(), { limit: 1, cursor: cursor! })).rejects.toBeInstanceOf(ValidationError);
    await expect(store.page(uniqueId('tenant'), listId, { limit: 1, cursor: cursor! })).rejects.toBeInstanceOf(ValidationError);
    await expect(store.page(tenant, listId, { limit: 1001 })).rejects.toBeInstanceOf(ValidationError);
    expect((await store.page(tenant, listId, { limit: 1, cursor: cursor! })).items.map((c) => c.email)).toEqual(['b@example.com']);
  });
});
