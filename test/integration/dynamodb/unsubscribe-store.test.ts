import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { migrateUnsubscribes } from '../../../lib/adapters/dynamodb/unsubscribe-migration.ts';
import { DynamoUnsubscribeStore, unsubscribeKey } from '../../../lib/adapters/dynamodb/unsubscribe-store.ts';
import type { Unsubscribe } from '../../../lib/domain/mailing-list.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { iso, uniqueId } from './factories.ts';

const client = dynamoClient();
let store: DynamoUnsubscribeStore;
let storeTable: string;

beforeAll(async () => {
  storeTable = (await freshTables(client)).unsubscribes;
  store = new DynamoUnsubscribeStore(client, storeTable);
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

describe('unsubscribes in partitions per address', () => {
  /** An entry as the layout before stored it: in the tenant's partition, `<scope>#<email>` the sort key. */
  const putOld = (table: string, entry: Unsubscribe) =>
    client.send(
      new PutItemCommand({
        TableName: table,
        Item: marshall({
          ...entry,
          pk: entry.tenant,
          sk: `${entry.listId === undefined ? 'marketing' : `list:${entry.listId}`}#${entry.email}`,
        }),
      }),
    );

  it('keeps each entry in its address’s partition, the address not in the key', async () => {
    const tenant = uniqueId('tenant');
    const listId = ulid();
    await store.put({ tenant, email: 'left@example.com', listId, createdAt: iso() });
    const key = unsubscribeKey(tenant, 'left@example.com', listId);
    expect(key.pk).toMatch(new RegExp(`^${tenant}#[A-Za-z0-9_-]{22}$`));
    expect(key.pk).not.toContain('left');
    expect(key.sk).toBe(`list:${listId}`);
    const { Item } = await client.send(new GetItemCommand({ TableName: storeTable, Key: marshall(key) }));
    expect(unmarshall(Item ?? {})).toMatchObject({ tenant, email: 'left@example.com', listId });
  });

  it('honours entries of the layout before until the migration has moved them and left its marker, then reads only today’s', async () => {
    const table = (await freshTables(client)).unsubscribes;
    const tenant = uniqueId('tenant');
    const listId = ulid();
    const upgraded = new DynamoUnsubscribeStore(client, table);
    const listOnly: Unsubscribe = { tenant, email: 'list@example.com', listId, createdAt: iso(1) };
    const everywhere: Unsubscribe = { tenant, email: 'all@example.com', createdAt: iso(2) };
    const removed: Unsubscribe = { tenant, email: 'back@example.com', listId, createdAt: iso(3) };
    await Promise.all([listOnly, everywhere, removed].map((e) => putOld(table, e)));
    // The same person left the same list again since the upgrade: one entry after the move.
    await upgraded.put({ ...listOnly, createdAt: iso(9) });

    const found = await upgraded.findMany(tenant, listId, ['list@example.com', 'all@example.com', 'back@example.com', 'in@example.com']);
    expect([...found.keys()].sort()).toEqual(['all@example.com', 'back@example.com', 'list@example.com']);
    expect(await upgraded.find(tenant, 'all@example.com')).toEqual(everywhere);
    // A person who subscribes again is removed from the old layout too.
    expect(await upgraded.delete(tenant, 'back@example.com', listId)).toBe(true);
    expect(await upgraded.find(tenant, 'back@example.com', listId)).toBeUndefined();

    expect(await migrateUnsubscribes(client, table)).toEqual({ found: 2, moved: 1 });
    expect(await migrateUnsubscribes(client, table)).toEqual({ found: 0, moved: 0 });
    const moved = await client.send(new GetItemCommand({ TableName: table, Key: marshall(unsubscribeKey(tenant, 'all@example.com')) }));
    expect(unmarshall(moved.Item ?? {})).toMatchObject(everywhere);
    // After the marker a new store reads today's layout alone: a stray old item is not seen.
    await putOld(table, { tenant, email: 'stray@example.com', createdAt: iso() });
    const migrated = new DynamoUnsubscribeStore(client, table);
    expect(
      [...(await migrated.findMany(tenant, listId, ['list@example.com', 'all@example.com', 'stray@example.com'])).keys()].sort(),
    ).toEqual(['all@example.com', 'list@example.com']);
  });
});
