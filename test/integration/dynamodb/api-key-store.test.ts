import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoApiKeyStore } from '../../../lib/adapters/dynamodb/api-key-store.ts';
import { generateApiKey, hashApiKey, keyPrefix, type ApiKeyRecord } from '../../../lib/domain/api-key.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { iso } from './factories.ts';

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
    const record: ApiKeyRecord = { hash: hashApiKey(key), prefix: keyPrefix(key), tenant: 'tenant-a', scopes: ['send', 'read'], createdAt: iso() };
    await store.put(record);
    expect(await store.findByHash(record.hash)).toEqual(record);
    expect(await store.findByHash(hashApiKey(generateApiKey()))).toBeUndefined();

    const raw = await client.send(new GetItemCommand({ TableName: table, Key: marshall({ pk: record.hash }) }));
    expect(JSON.stringify(raw.Item)).not.toContain(key);

    const revoked = { ...record, revokedAt: iso(1000) };
    await store.put(revoked);
    expect(await store.findByHash(record.hash)).toEqual(revoked);
  });
});
