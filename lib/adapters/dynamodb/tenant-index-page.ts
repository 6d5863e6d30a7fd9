/** One page of a table's `byTenant` index (`tenant`, `createdAt`), with the opaque cursor of the listings. */
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Page } from '../../domain/suppression.ts';
import { checkLimit, decodeCursor, encodeCursor } from './cursor.ts';
import { fromItem, toItem } from './marshalling.ts';

/** Attributes of a `byTenant` index's LastEvaluatedKey: the table key plus the index key. */
const KEY = ['pk', 'tenant', 'createdAt'] as const;

/**
 * The page of `tenant`'s items, oldest first, that `options.cursor` points at. Index reads are
 * eventually consistent (a key made a moment ago may be missing from a listing, never from
 * authentication, which reads the table). A malformed limit or cursor throws ValidationError.
 */
export async function tenantIndexPage<T>(
  client: DynamoDBClient,
  tableName: string,
  tenant: string,
  options: { limit: number; cursor?: string },
  map: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  checkLimit(options.limit);
  const start = options.cursor === undefined ? undefined : decodeCursor(options.cursor, KEY, { tenant });
  const page = await client.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'byTenant',
      KeyConditionExpression: '#tenant = :tenant',
      ExpressionAttributeNames: { '#tenant': 'tenant' },
      ExpressionAttributeValues: toItem({ ':tenant': tenant }),
      Limit: options.limit,
      ExclusiveStartKey: start,
    }),
  );
  const items = (page.Items ?? []).map((item) => map(fromItem(item)));
  const cursor = encodeCursor(page.LastEvaluatedKey);
  return cursor ? { items, cursor } : { items };
}
