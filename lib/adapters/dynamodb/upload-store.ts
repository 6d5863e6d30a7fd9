/**
 * UploadStore on DynamoDB: one item per upload, keyed by tenant and id (`pk` =
 * `<tenant>#<id>`), so that another tenant's id is simply not found. Items expire with the
 * messages (the `expiresAt` TTL), as the bytes do in S3.
 */
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Upload } from '../../domain/uploads.ts';
import type { UploadStore } from '../../ports/upload-store.ts';
import { DEFAULT_RETENTION_DAYS } from '../../topology.ts';
import { expiryAfter, fromItem, toItem, withoutAttributes } from './marshalling.ts';

const key = (tenant: string, id: string) => toItem({ pk: `${tenant}#${id}` });

/** The UploadStore port on the uploads table. */
export class DynamoUploadStore implements UploadStore {
  private readonly retentionDays: number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    options: { retentionDays?: number } = {},
  ) {
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  }

  async put(upload: Upload): Promise<void> {
    const item = { ...upload, ...fromItem(key(upload.tenant, upload.id)), expiresAt: expiryAfter(upload.createdAt, this.retentionDays) };
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toItem(item) }));
  }

  async get(tenant: string, id: string): Promise<Upload | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(tenant, id), ConsistentRead: true }));
    if (!result.Item) return undefined;
    return withoutAttributes(fromItem(result.Item), ['pk', 'expiresAt']) as unknown as Upload;
  }
}
