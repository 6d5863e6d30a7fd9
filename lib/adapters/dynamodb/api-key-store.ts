/** ApiKeyStore on DynamoDB. Items: `pk = hash` (hex SHA-256 of the key) plus the ApiKeyRecord fields. */
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ApiKeyRecord } from '../../domain/api-key.ts';
import type { ApiKeyStore } from '../../ports/api-key-store.ts';
import { fromItem, toItem, withoutAttributes } from './marshalling.ts';

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
    return result.Item ? (withoutAttributes(fromItem(result.Item), ['pk']) as unknown as ApiKeyRecord) : undefined;
  }

  /** Adds or replaces the record (e.g. with `revokedAt` set). */
  async put(record: ApiKeyRecord): Promise<void> {
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toItem({ ...record, pk: record.hash }) }));
  }
}
