import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoApiKeyStore } from '../../../lib/adapters/dynamodb/api-key-store.ts';
import { apiKeyId, generateApiKey, hashApiKey, keyPrefix, type ApiKeyRecord } from '../../../lib/domain/api-key.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { iso, uniqueId } from './factories.ts';

const client = dynamoClient();
let table: string;
let store: DynamoApiKeyStore;

beforeAll(async () => {
  table = (await freshTables(client)).apiKeys;
  store = new DynamoApiKeyStore(client, table);
});
afterAll(() => client.destroy());

describe('DynamoApiKeyStore', () => {
  it('stores a key by its hash, never the key, and finds it again', async () => {
    const key = generateApiKey();
    const record: ApiKeyRecord = {
      hash: hashApiKey(key),
      prefix: keyPrefix(key),
      tenant: 'tenant-a',
      scopes: ['send', 'read'],
      createdAt: iso(),
    };
    await store.put(record);
    expect(await store.findByHash(record.hash)).toEqual(record);
    expect(await store.findByHash(hashApiKey(generateApiKey()))).toBeUndefined();

    const raw = await client.send(new GetItemCommand({ TableName: table, Key: marshall({ pk: record.hash }) }));
    expect(JSON.stringify(raw.Item)).not.toContain(key);

    const revoked = { ...record, revokedAt: iso(1000) };
    await store.put(revoked);
    expect(await store.findByHash(record.hash)).toEqual(revoked);
  });

  it('lists a tenant’s keys, finds one by its id, and revokes it at once (records without an id attribute included)', async () => {
    const tenant = uniqueId('tenant');
    const records: ApiKeyRecord[] = [0, 1, 2].map((i) => {
      const key = generateApiKey();
      return { hash: hashApiKey(key), prefix: keyPrefix(key), tenant, scopes: ['send'], createdAt: iso(i * 1000) };
    });
    for (const record of records) await store.put(record);
    await store.put({ ...records[0]!, hash: hashApiKey(generateApiKey()), tenant: uniqueId('other') });

    const first = await store.listByTenant(tenant, { limit: 2 });
    const second = await store.listByTenant(tenant, { limit: 2, cursor: first.cursor });
    expect([...first.items, ...second.items]).toEqual(records);

    const target = records[1]!;
    expect(await store.findById(tenant, apiKeyId(target.hash))).toEqual(target);
    expect(await store.findById(uniqueId('other'), apiKeyId(target.hash))).toBeUndefined();
    expect(await store.findById(tenant, 'not-an-id')).toBeUndefined();

    const revoked = await store.revoke(target.hash, iso(5000));
    expect(revoked).toEqual({ ...target, revokedAt: iso(5000) });
    expect(await store.revoke(target.hash, iso(9000))).toEqual(revoked);
    expect(await store.findByHash(target.hash)).toEqual(revoked);
    expect(await store.revoke(hashApiKey(generateApiKey()), iso())).toBeUndefined();
  });
});
