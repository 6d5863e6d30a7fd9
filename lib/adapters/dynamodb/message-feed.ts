/**
 * MessageFeed on DynamoDB. A listing reads the shards of the key that serves it (feed-sources.ts)
 * in parallel, merges them newest first (shard-merge.ts), reads the messages of the entries by
 * key (BatchGetItem: index entries hold keys only) and keeps those that match every filter. A
 * page reads at most FEED.maxExamined entries: a filter the key does not serve alone may leave
 * a page short, or empty, with a cursor to go on.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { feedMatches, type FeedFilter } from '../../domain/feed.ts';
import type { MessageRecord } from '../../domain/message.ts';
import type { Page } from '../../domain/suppression.ts';
import type { MessageFeed } from '../../ports/message-feed.ts';
import { FEED } from '../../topology.ts';
import { batchGetAll } from './batch-get.ts';
import { checkLimit } from './cursor.ts';
import { decodeFeedCursor, encodeFeedCursor, listingDigest } from './feed-cursor.ts';
import { feedSource } from './feed-sources.ts';
import { toItem } from './marshalling.ts';
import { MESSAGE_SK, recipientEntries, toMessageRecord } from './message-items.ts';
import { ShardMerge } from './shard-merge.ts';
import { sourceReader, startPositions } from './source-reader.ts';

/** Options of DynamoMessageFeed. */
export interface DynamoMessageFeedOptions {
  /** Entries a page reads at most; FEED.maxExamined by default. */
  maxExamined?: number;
}

/** The MessageFeed port on the messages table and its indexes and the feed table. */
export class DynamoMessageFeed implements MessageFeed {
  private readonly maxExamined: number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tables: { messages: string; feed: string },
    options: DynamoMessageFeedOptions = {},
  ) {
    this.maxExamined = options.maxExamined ?? FEED.maxExamined;
  }

  async page(tenant: string, filter: FeedFilter, options: { limit: number; cursor?: string; now: number }): Promise<Page<MessageRecord>> {
    checkLimit(options.limit);
    const source = feedSource(this.tables, tenant, filter);
    const digest = listingDigest(tenant, source, filter);
    const positions = options.cursor === undefined ? startPositions(source) : decodeFeedCursor(options.cursor, digest, source);
    if (source.empty) return { items: [] };

    const merge = new ShardMerge(sourceReader(this.client, source), positions);
    const items: MessageRecord[] = [];
    let examined = 0;
    while (items.length < options.limit && examined < this.maxExamined && !merge.done) {
      // Never more than the page still needs: every entry taken is either listed or left behind for good.
      const entries = await merge.take(Math.min(options.limit - items.length, this.maxExamined - examined));
      examined += entries.length;
      for (const { message, recipients } of await this.messages(entries.map((entry) => source.idOf(entry)))) {
        if (feedMatches(filter, tenant, message, recipients, options.now)) items.push(message);
      }
    }
    const cursor = merge.done ? undefined : encodeFeedCursor(digest, source, merge.positions());
    return cursor ? { items, cursor } : { items };
  }

  /**
   * The messages with these ids, in their order, with their recipients' addresses. A message
   * that is gone (expired), or whose entry was written before it (acceptance failed), is left out.
   */
  private async messages(ids: string[]): Promise<{ message: MessageRecord; recipients: string[] }[]> {
    if (ids.length === 0) return [];
    const keys = [...new Set(ids)].map((id) => toItem({ pk: id, sk: MESSAGE_SK }));
    const items = await batchGetAll(this.client, this.tables.messages, keys);
    const byId = new Map(items.map((item) => [String(item.pk), item]));
    return ids.flatMap((id) => {
      const item = byId.get(id);
      return item ? [{ message: toMessageRecord(item), recipients: Object.keys(recipientEntries(item)) }] : [];
    });
  }
}
