import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { DynamoUnsubscribeStore } from '../../../lib/adapters/dynamodb/unsubscribe-store.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { iso, uniqueId } from './factories.ts';

const client = dynamoClient();
let store: DynamoUnsubscribeStore;

beforeAll(async () => {
  store = new DynamoUnsubscribeStore(client, (await freshTables(client)).unsubscribes);
});
afterAll(() => client.destroy());

describe('DynamoUnsubscribeStore.findMany', () => {
  it.each([10, 400])('finds the list’s and the marketing-wide unsubscribes among %i addresses, the wider one first', async (count) => {
    const tenant = uniqueId('tenant');
    const listId = ulid();
    const other = ulid();
    const emails = Array.from({ length: count }, (_, i) => `p${String(i).padStart(4, '0')}@example.com`);
    await store.put({ tenant, email: emails[1]!, listId, createdAt: iso(1) });
    await store.put({ tenant, email: emails[2]!, createdAt: iso(2) });
    await store.put({ tenant, email: emails[3]!, listId, createdAt: iso(3) });
    await store.put({ tenant, email: emails[3]!, createdAt: iso(4) });
    // Another list's, another tenant's, and addresses not asked for do not count.
    await store.put({ tenant, email: emails[4]!, listId: other, createdAt: iso() });
    await store.put({ tenant: uniqueId('tenant'), email: emails[5]!, createdAt: iso() });
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.put({ tenant, email: `q${i}@example.com`, listId, createdAt: iso() })));

    const found = await store.findMany(tenant, listId, emails);
    expect([...found.keys()].sort()).toEqual([emails[1], emails[2], emails[3]]);
    expect(found.get(emails[2]!)).toEqual({ tenant, email: emails[2], createdAt: iso(2) });
    expect(found.get(emails[3]!)).toEqual({ tenant, email: emails[3], createdAt: iso(4) });
  });

  it('finds them when the range between the addresses holds many other entries', async () => {
    const tenant = uniqueId('tenant');
    const listId = ulid();
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        store.put({ tenant, email: `m${String(i).padStart(3, '0')}@example.com`, listId, createdAt: iso() }),
      ),
    );
    const asked = Array.from({ length: 60 }, (_, i) => `m${String(i * 5).padStart(3, '0')}@example.com`);
    expect((await store.findMany(tenant, listId, asked)).size).toBe(60);
  });
});

describe('DynamoUnsubscribeStore.find', () => {
  it('finds what keeps an address from a list (all marketing mail first), or its marketing-wide unsubscribe', async () => {
    const tenant = uniqueId('tenant');
    const listId = ulid();
    await store.put({ tenant, email: 'a@example.com', listId, createdAt: iso(1) });
    expect(await store.find(tenant, 'a@example.com', listId)).toEqual({ tenant, email: 'a@example.com', listId, createdAt: iso(1) });
    expect(await store.find(tenant, 'a@example.com')).toBeUndefined();
    expect(await store.find(tenant, 'a@example.com', ulid())).toBeUndefined();
    await store.put({ tenant, email: 'a@example.com', createdAt: iso(2) });
    expect(await store.find(tenant, 'a@example.com', listId)).toEqual({ tenant, email: 'a@example.com', createdAt: iso(2) });
    expect(await store.find(tenant, 'a@example.com')).toEqual({ tenant, email: 'a@example.com', createdAt: iso(2) });
    expect(await store.find(uniqueId('tenant'), 'a@example.com')).toBeUndefined();
  });
});
