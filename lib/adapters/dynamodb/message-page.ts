/**
 * Listings of a tenant's messages on the messages table's write-sharded `byTenant` index
 * (feed-sources.ts tenantSource): its shards are merged by time (shard-merge.ts), and the
 * message items of the entries read by key (the index holds keys only), in the entries' order.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MessageRecord } from '../../domain/message.ts';
import type { Page } from '../../domain/suppression.ts';
import { batchGetAll } from './batch-get.ts';
import { checkLimit } from './cursor.ts';
import { decodeFeedCursor, encodeFeedCursor, listingDigest } from './feed-cursor.ts';
import { tenantSource } from './feed-sources.ts';
import { toItem } from './marshalling.ts';
import { MESSAGE_SK, toMessageRecord } from './message-items.ts';
import { ShardMerge } from './shard-merge.ts';
import { sourceReader, startPositions } from './source-reader.ts';

/**
 * The message items with these ids, in their order. A message whose item is gone (expired
 * between the Query and the read) is left out.
 */
export async function messagesOfIds(client: DynamoDBClient, tableName: string, ids: string[]): Promise<MessageRecord[]> {
  if (ids.length === 0) return [];
  const items = await batchGetAll(
    client,
    tableName,
    [...new Set(ids)].map((id) => toItem({ pk: id, sk: MESSAGE_SK })),
  );
  const byId = new Map(items.map((item) => [String(item.pk), item]));
  return ids.flatMap((id) => {
    const item = byId.get(id);
    return item ? [toMessageRecord(item)] : [];
  });
}

/**
 * The page of `tenant`'s messages, newest first, that `options.cursor` (the activity feed's,
 * feed-cursor.ts) points at. A malformed limit or cursor, or one of another listing or of the
 * unsharded index, throws ValidationError.
 */
export async function tenantMessagesPage(
  client: DynamoDBClient,
  tableName: string,
  tenant: string,
  options: { limit: number; cursor?: string },
): Promise<Page<MessageRecord>> {
  checkLimit(options.limit);
  const source = tenantSource(tableName, tenant);
  const digest = listingDigest(tenant, source, {});
  const positions = options.cursor === undefined ? startPositions(source) : decodeFeedCursor(options.cursor, digest, source);
  const merge = new ShardMerge(sourceReader(client, source), positions);
  const entries = await merge.take(options.limit);
  const items = await messagesOfIds(
    client,
    tableName,
    entries.map((entry) => source.idOf(entry)),
  );
  return merge.done ? { items } : { items, cursor: encodeFeedCursor(digest, source, merge.positions()) };
}

/**
 * `tenant`'s messages created from `start` to `end` (ISO times, both included), oldest first
 * (of messages created in the same millisecond, the lower shard's first), `pageSize` index
 * entries and one BatchGetItem at a time, each page read only when the caller has used the one before.
 */
export async function* tenantMessagesBetween(
  client: DynamoDBClient,
  tableName: string,
  tenant: string,
  range: { start: string; end: string; pageSize: number },
): AsyncGenerator<MessageRecord> {
  const source = tenantSource(tableName, tenant, { low: range.start, high: range.end });
  const merge = new ShardMerge(sourceReader(client, source, { oldestFirst: true }), startPositions(source));
  while (!merge.done) {
    const entries = await merge.take(range.pageSize);
    yield* await messagesOfIds(
      client,
      tableName,
      entries.map((entry) => source.idOf(entry)),
    );
  }
}
