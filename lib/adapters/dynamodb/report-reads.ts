/**
 * Reading sharded counters: the items of every write shard of one counter (and of the item
 * written before counters were sharded), in a range of sort keys, grouped by sort key. The
 * shards are queried in parallel; a counter's value is the sum over its group.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { toItem } from './marshalling.ts';
import { queryAll } from './query-all.ts';

/** The items of `partitions` with a sort key from `from` to `to` (inclusive), grouped by sort key, in sort key order. */
export async function shardGroups(
  client: DynamoDBClient,
  tableName: string,
  partitions: string[],
  from: string,
  to: string,
): Promise<[string, Record<string, unknown>[]][]> {
  const shards = await Promise.all(
    partitions.map((pk) =>
      queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: toItem({ ':pk': pk, ':from': from, ':to': to }),
      }),
    ),
  );
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const item of shards.flat()) {
    const sk = String(item.sk);
    groups.set(sk, [...(groups.get(sk) ?? []), item]);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The sum of number attribute `name` over a group's items (0 when none has it). */
export function sumOf(items: Record<string, unknown>[], name: string): number {
  return items.reduce((sum, item) => sum + (typeof item[name] === 'number' ? item[name] : 0), 0);
}
