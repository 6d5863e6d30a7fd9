/**
 * SoftBounceStore on DynamoDB. Items: `pk = tenant`, `sk = "<email>#<bounce id>"`, `at`, and
 * `expiresAt` (TTL). One item per bounce makes recording idempotent without reading first;
 * addresses never contain `#` after their `@`, so `<email>#` selects exactly one address.
 */
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SoftBounce, SoftBounceStore } from '../../ports/soft-bounce-store.ts';
import { expiryAfter, toItem } from './marshalling.ts';
import { queryAll } from './query-all.ts';

/** The SoftBounceStore port on the softBounces table. */
export class DynamoSoftBounceStore implements SoftBounceStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async record(tenant: string, email: string, bounce: SoftBounce, window: { since: string; expiresAt: string }): Promise<string[]> {
    const prefix = `${email}#`;
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: toItem({ pk: tenant, sk: `${prefix}${bounce.id}`, at: bounce.at, expiresAt: expiryAfter(window.expiresAt, 0) }),
      }),
    );
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#at': 'at' },
      ExpressionAttributeValues: toItem({ ':pk': tenant, ':prefix': prefix }),
      ProjectionExpression: '#at',
      ConsistentRead: true,
    });
    // TTL deletes late (up to days): the window is applied here, not left to it.
    return items
      .map((item) => String(item.at))
      .filter((at) => at >= window.since)
      .sort();
  }
}
