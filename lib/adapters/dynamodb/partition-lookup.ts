/**
 * Looking up many sort keys of one partition (`pk`, `sk` tables): one Query over the range the
 * keys span costs next to nothing when the range holds few other items (a new list, a tenant
 * with few unsubscribes), where BatchGetItem needs a call per 100 keys. The Query gives up past
 * a read budget, and BatchGetItem does the work.
 */
import { QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { batchGetAll } from './batch-get.ts';
import { fromItem, toItem } from './marshalling.ts';

/** Keys from which the range Query is tried first. */
const RANGE_QUERY_MIN = 50;
/** Items the Query may read per key asked for, before BatchGetItem is the cheaper way. */
const RANGE_QUERY_BUDGET = 2;

/** Options of getInPartition. */
export interface PartitionLookupOptions {
  consistentRead?: boolean;
}

/** The items of partition `pk` whose `sk` is among `sortKeys` (any order; missing ones are absent). */
export async function getInPartition(
  client: DynamoDBClient,
  tableName: string,
  pk: string,
  sortKeys: string[],
  options: PartitionLookupOptions = {},
): Promise<Record<string, unknown>[]> {
  const unique = [...new Set(sortKeys)];
  const found = unique.length >= RANGE_QUERY_MIN ? await inRange(client, tableName, pk, unique, options) : undefined;
  if (found) return found;
  return batchGetAll(
    client,
    tableName,
    unique.map((sk) => toItem({ pk, sk })),
    options,
  );
}

async function inRange(client: DynamoDBClient, tableName: string, pk: string, sortKeys: string[], options: PartitionLookupOptions) {
  // DynamoDB orders string keys by their UTF-8 bytes.
  const sorted = sortKeys.map((sk) => Buffer.from(sk, 'utf8')).sort(Buffer.compare);
  const wanted = new Set(sortKeys);
  const budget = sortKeys.length * RANGE_QUERY_BUDGET;
  const found: Record<string, unknown>[] = [];
  let read = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: toItem({
          ':pk': pk,
          ':lo': sorted[0]!.toString('utf8'),
          ':hi': sorted[sorted.length - 1]!.toString('utf8'),
        }),
        ExclusiveStartKey: start,
        Limit: budget - read + 1,
        ConsistentRead: options.consistentRead,
      }),
    );
    read += page.Count ?? 0;
    if (read > budget) return undefined;
    for (const item of page.Items ?? []) {
      const record = fromItem(item);
      if (wanted.has(record.sk as string)) found.push(record);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}
