/**
 * SuppressionStore on DynamoDB. Items: `pk = "<tenant>#<address digest>"`, `sk = email`
 * (normalised), `listKey = "<tenant>#<shard>"`, plus the Suppression fields (suppression-keys.ts):
 * a check reads one item per address. Listing in address order merges the tenant's shards of
 * the `byTenant` index (suppression-listing.ts).
 */
import { DeleteItemCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Page, Suppression } from '../../domain/suppression.ts';
import type { SuppressionStore } from '../../ports/suppression-store.ts';
import { batchGetAll } from './batch-get.ts';
import { fromItem, toItem, withoutAttributes } from './marshalling.ts';
import { entryKey, entryStorage, LIST_KEY } from './suppression-keys.ts';
import { suppressionPage } from './suppression-listing.ts';

/** Options of DynamoSuppressionStore. */
export interface DynamoSuppressionStoreOptions {
  /** Read with strong consistency, so an entry added a moment ago is honoured; true by default. */
  consistentRead?: boolean;
}

const STORAGE = ['pk', 'sk', LIST_KEY] as const;

function toSuppression(item: Record<string, unknown>): Suppression {
  return withoutAttributes(item, STORAGE) as unknown as Suppression;
}

/** The SuppressionStore port on the suppressions table. */
export class DynamoSuppressionStore implements SuppressionStore {
  private readonly consistentRead: boolean;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    options: DynamoSuppressionStoreOptions = {},
  ) {
    this.consistentRead = options.consistentRead ?? true;
  }

  async get(tenant: string, email: string): Promise<Suppression | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: entryKey(tenant, email), ConsistentRead: this.consistentRead }),
    );
    return result.Item ? toSuppression(fromItem(result.Item)) : undefined;
  }

  /** Looks the addresses up 100 at a time (BatchGetItem's limit), retrying what DynamoDB leaves unprocessed. */
  async findMany(tenant: string, emails: string[]): Promise<Map<string, Suppression>> {
    const unique = [...new Set(emails)];
    const items = await batchGetAll(
      this.client,
      this.tableName,
      unique.map((email) => entryKey(tenant, email)),
      { consistentRead: this.consistentRead },
    );
    return new Map(items.map((item) => toSuppression(item)).map((entry) => [entry.email, entry]));
  }

  async put(entry: Suppression): Promise<void> {
    await this.client.send(
      new PutItemCommand({ TableName: this.tableName, Item: toItem({ ...entry, ...entryStorage(entry.tenant, entry.email) }) }),
    );
  }

  async delete(tenant: string, email: string): Promise<boolean> {
    const result = await this.client.send(
      new DeleteItemCommand({ TableName: this.tableName, Key: entryKey(tenant, email), ReturnValues: 'ALL_OLD' }),
    );
    return result.Attributes !== undefined;
  }

  /**
   * A page in address order; `limit` is 1..1000. Read from an index, so eventually consistent.
   * A malformed cursor or limit throws ValidationError.
   */
  list(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<Suppression>> {
    return suppressionPage(this.client, this.tableName, tenant, options, toSuppression);
  }
}
