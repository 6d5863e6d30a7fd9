/** One page of a partition (`pk`/`sk` tables), with the opaque cursor of the listings. */
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Page } from '../../domain/suppression.ts';
import { checkLimit, decodeCursor, encodeCursor } from './cursor.ts';
import { fromItem, toItem } from './marshalling.ts';

const KEY = ['pk', 'sk'] as const;

/** Options of {@link partitionPage}. */
export interface PartitionPageOptions {
  /** 1..1000. */
  limit: number;
  /** From the previous page; checked to belong to this partition. */
  cursor?: string;
  /** Sort keys descending (newest first for time-ordered ids). */
  newestFirst?: boolean;
  /** Strongly consistent read; true by default. */
  consistentRead?: boolean;
}

/**
 * The page of partition `pk` that `options.cursor` points at, each item unmarshalled and
 * mapped. A malformed limit or cursor throws ValidationError.
 */
export async function partitionPage<T>(
  client: DynamoDBClient,
  tableName: string,
  pk: string,
  options: PartitionPageOptions,
  map: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  checkLimit(options.limit);
  const start = options.cursor === undefined ? undefined : decodeCursor(options.cursor, KEY, { pk });
  const page = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'pk' },
      ExpressionAttributeValues: toItem({ ':pk': pk }),
      ...(options.newestFirst && { ScanIndexForward: false }),
      Limit: options.limit,
      ExclusiveStartKey: start,
      ConsistentRead: options.consistentRead ?? true,
    }),
  );
  const items = (page.Items ?? []).map((item) => map(fromItem(item)));
  const cursor = encodeCursor(page.LastEvaluatedKey);
  return cursor ? { items, cursor } : { items };
}
