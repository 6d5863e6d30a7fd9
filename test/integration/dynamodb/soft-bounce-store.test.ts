import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSoftBounceStore } from '../../../lib/adapters/dynamodb/soft-bounce-store.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { T0, iso, uniqueId } from './factories.ts';

const client = dynamoClient();
let table: string;
let store: DynamoSoftBounceStore;

beforeAll(async () => {
  table = (await freshTables(client)).softBounces;
  store = new DynamoSoftBounceStore(client, table);
});
afterAll(() => client.destroy());

const window = { since: iso(-3_600_000), expiresAt: iso(3_600_000) };

describe('DynamoSoftBounceStore', () => {
  it('records each bounce once and returns the address’s bounces in the window, oldest first', async () => {
    const tenant = uniqueId('tenant');
    expect(await store.record(tenant, 'full@example.com', { id: 'm1/bounced/full@example.com/ses-a', at: iso(2000) }, window)).toEqual([
      iso(2000),
    ]);
    // The same bounce again (a duplicated notification) counts once.
    expect(await store.record(tenant, 'full@example.com', { id: 'm1/bounced/full@example.com/ses-a', at: iso(2000) }, window)).toEqual([
      iso(2000),
    ]);
    expect(await store.record(tenant, 'full@example.com', { id: 'm2/bounced/full@example.com/ses-b', at: iso(1000) }, window)).toEqual([
      iso(1000),
      iso(2000),
    ]);
    // Two messages bouncing at the same moment are two bounces.
    expect(await store.record(tenant, 'full@example.com', { id: 'm3/bounced/full@example.com/ses-c', at: iso(1000) }, window)).toEqual([
      iso(1000),
      iso(1000),
      iso(2000),
    ]);
  });

  it('leaves out bounces before the window, even before TTL removes them', async () => {
    const tenant = uniqueId('tenant');
    await store.record(tenant, 'old@example.com', { id: 'old', at: iso(-2 * 3_600_000) }, window);
    expect(await store.record(tenant, 'old@example.com', { id: 'new', at: iso(0) }, window)).toEqual([iso(0)]);
  });

  it('keeps addresses and tenants apart, including addresses that begin alike', async () => {
    const tenant = uniqueId('tenant');
    await store.record(tenant, 'a@example.co', { id: '1', at: iso(0) }, window);
    await store.record(uniqueId('tenant'), 'a@example.com', { id: '2', at: iso(0) }, window);
    expect(await store.record(tenant, 'a@example.com', { id: '3', at: iso(1) }, window)).toEqual([iso(1)]);
  });

  it('lets DynamoDB forget each bounce when the window allows (TTL)', async () => {
    const tenant = uniqueId('tenant');
    await store.record(tenant, 'ttl@example.com', { id: 'x', at: iso(0) }, window);
    const items = await client.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: marshall({ ':pk': tenant }) }),
    );
    expect(items.Items).toHaveLength(1);
    expect(Number(items.Items![0]!.expiresAt!.N)).toBe(Math.floor((T0 + 3_600_000) / 1000));
  });
});
