/** ApiKeyStore on DynamoDB. Items: `pk = hash` (hex SHA-256 of the key) plus the ApiKeyRecord fields. */
import { GetItemCommand, PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { apiKeyId, looksLikeApiKeyId, type ApiKeyRecord } from '../../domain/api-key.ts';
import type { Page } from '../../domain/suppression.ts';
import type { ApiKeyStore } from '../../ports/api-key-store.ts';
import { revokeItem } from './conditional-update.ts';
import { fromItem, toItem, withoutAttributes, type Item } from './marshalling.ts';
import { tenantIndexPage } from './tenant-index-page.ts';

function toRecord(item: Record<string, unknown>): ApiKeyRecord {
  return withoutAttributes(item, ['pk']) as unknown as ApiKeyRecord;
}

/** Options of DynamoApiKeyStore. */
export interface DynamoApiKeyStoreOptions {
  /** Read with strong consistency, so a revocation takes effect at once; true by default. */
  consistentRead?: boolean;
}

/** The ApiKeyStore port on the apiKeys table. */
export class DynamoApiKeyStore implements ApiKeyStore {
  private readonly consistentRead: boolean;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    options: DynamoApiKeyStoreOptions = {},
  ) {
    this.consistentRead = options.consistentRead ?? true;
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toItem({ pk: hash }), ConsistentRead: this.consistentRead }),
    );
    return result.Item ? toRecord(fromItem(result.Item)) : undefined;
  }

  /** Adds or replaces the record (e.g. with `revokedAt` set). */
  async put(record: ApiKeyRecord): Promise<void> {
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toItem({ ...record, pk: record.hash }) }));
  }

  listByTenant(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<ApiKeyRecord>> {
    return tenantIndexPage(this.client, this.tableName, tenant, options, toRecord);
  }

  /** Reads the tenant's `byTenant` partition, keeping the key whose hash starts with the id (a tenant has few keys). */
  async findById(tenant: string, id: string): Promise<ApiKeyRecord | undefined> {
    if (!looksLikeApiKeyId(id)) return undefined;
    let start: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byTenant',
          KeyConditionExpression: '#tenant = :tenant',
          FilterExpression: 'begins_with(#pk, :id)',
          ExpressionAttributeNames: { '#tenant': 'tenant', '#pk': 'pk' },
          ExpressionAttributeValues: toItem({ ':tenant': tenant, ':id': id }),
          ExclusiveStartKey: start,
        }),
      );
      const found = (page.Items ?? []).map((item) => toRecord(fromItem(item))).find((record) => apiKeyId(record.hash) === id);
      if (found) return found;
      start = page.LastEvaluatedKey;
    } while (start);
    return undefined;
  }

  async revoke(hash: string, at: string): Promise<ApiKeyRecord | undefined> {
    const attributes = await revokeItem(this.client, this.tableName, hash, at);
    return attributes ? toRecord(attributes) : undefined;
  }
}
