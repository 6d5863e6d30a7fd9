/**
 * Reads the shards of a listing's source (feed-sources.ts) for ShardMerge: one Query per shard
 * read, entries as plain key records. Every listing of a tenant's messages (the activity feed,
 * the store's listing, the export's timeline) reads through it.
 */
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { shardQuery, type FeedSource } from './feed-sources.ts';
import { fromItem } from './marshalling.ts';
import type { ShardPosition, ShardReader, StartKey } from './shard-merge.ts';

/** A ShardReader over the shards of `source`, newest first unless `oldestFirst`; strongly consistent with `consistentRead` (tables only). */
export function sourceReader(
  client: DynamoDBClient,
  source: FeedSource,
  options: { oldestFirst?: boolean; consistentRead?: boolean } = {},
): ShardReader<StartKey> {
  const oldestFirst = options.oldestFirst ?? false;
  const consistent = options.consistentRead ? { ConsistentRead: true } : {};
  return {
    shards: source.partitions.length,
    oldestFirst,
    read: async (shard, after, limit) => {
      const page = await client.send(new QueryCommand({ ...shardQuery(source, shard, after, limit, oldestFirst), ...consistent }));
      const entries = (page.Items ?? []).map((item) => fromItem(item) as StartKey);
      return page.LastEvaluatedKey ? { entries, next: fromItem(page.LastEvaluatedKey) as StartKey } : { entries };
    },
    keyOf: (entry) => Object.fromEntries(source.keyNames.map((name) => [name, entry[name] ?? ''])),
    orderOf: (entry) => entry[source.sortName] ?? '',
  };
}

/** The positions of a listing's first page: every shard from its start. */
export function startPositions(source: FeedSource): ShardPosition[] {
  return source.partitions.map(() => ({ kind: 'start' }));
}
