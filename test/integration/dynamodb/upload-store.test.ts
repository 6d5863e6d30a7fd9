import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoUploadStore } from '../../../lib/adapters/dynamodb/upload-store.ts';
import type { Upload } from '../../../lib/domain/uploads.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';

const client = dynamoClient();
let store: DynamoUploadStore;
let table: string;

beforeAll(async () => {
  table = (await freshTables(client)).uploads;
  store = new DynamoUploadStore(client, table, { retentionDays: 30 });
});
afterAll(() => client.destroy());

const upload: Upload = {
  id: '01JFV4R6Q3Y5W7E9G1H3K5M7N9',
  tenant: 'acme',
  filename: 'Prüfbericht.pdf',
  contentType: 'application/pdf',
  size: 1234,
  createdAt: '2026-11-28T12:00:00.000Z',
};

describe('DynamoUploadStore', () => {
  it("keeps an upload for its tenant only, expiring with the messages' retention", async () => {
    await store.put(upload);
    expect(await store.get('acme', upload.id)).toEqual(upload);
    expect(await store.get('other', upload.id)).toBeUndefined();
    expect(await store.get('acme', '01JFV4R6Q3Y5W7E9G1H3K5M7NA')).toBeUndefined();
    const item = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: `acme#${upload.id}` } } }));
    expect(Number(item.Item?.expiresAt?.N)).toBe(Date.parse(upload.createdAt) / 1000 + 30 * 86_400);
  });

  it('replaces an upload of the same tenant and id, as a retried request makes it again', async () => {
    const { contentType: _type, ...withoutType } = upload;
    await store.put(withoutType);
    expect(await store.get('acme', upload.id)).toEqual(withoutType);
  });
});
