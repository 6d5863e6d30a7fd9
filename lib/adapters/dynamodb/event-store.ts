/**
 * EventStore on DynamoDB. Items: `pk = messageId`, `sk = eventId`, every MailEvent field, and
 * `expiresAt` (TTL). The table's stream carries each new item to reports and notifications,
 * so an event must be written once only: the key is the deterministic event id, and a put
 * that finds it already there changes nothing, whatever time the retried producer gave it.
 * Events that no one can have written yet but this very call (`fresh`) skip that condition and
 * go through BatchWriteItem: a retry of the call writes the same items again, which the
 * stream does not count (it counts only new items, `INSERT`).
 */
import { ConditionalCheckFailedException, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { sortEvents, type MailEvent } from '../../domain/events.ts';
import type { EventStore } from '../../ports/event-store.ts';
import { DEFAULT_RETENTION_DAYS } from '../../topology.ts';
import type DataLoader from 'dataloader';
import { BATCH_WRITE_MAX, batchWriteAll, putRequests } from './batch-write.ts';
import { coalescing, type CoalesceWindow } from './coalesce.ts';
import { forEachLimited } from './concurrency.ts';
import { expiryAfter, toItem, withoutAttributes } from './marshalling.ts';
import { queryAll } from './query-all.ts';

/** Options of DynamoEventStore. */
export interface DynamoEventStoreOptions {
  /** Days events are kept before DynamoDB's TTL removes them; DEFAULT_RETENTION_DAYS by default. */
  retentionDays?: number;
  /** Puts in flight at once; 8 by default. */
  concurrency?: number;
  /** Fresh appends made within this window of each other share BatchWriteItem calls (coalesce.ts); absent: each fresh append makes its own. */
  coalesce?: CoalesceWindow;
}

const STORAGE = ['pk', 'sk', 'expiresAt'] as const;

/** The item of an event: keyed by message and event id, expiring `retentionDays` after it happened. */
export function eventItem(event: MailEvent, retentionDays: number): Record<string, unknown> {
  return { ...event, pk: event.messageId, sk: event.eventId, expiresAt: expiryAfter(event.at, retentionDays) };
}

/** The EventStore port on the events table. */
export class DynamoEventStore implements EventStore {
  private readonly retentionDays: number;
  private readonly concurrency: number;
  readonly #fresh: DataLoader<MailEvent, void> | undefined;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    options: DynamoEventStoreOptions = {},
  ) {
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.#fresh =
      options.coalesce &&
      coalescing(
        async (events) => {
          await this.#writeFresh(events);
          return events.map(() => undefined);
        },
        { ...options.coalesce, maxBatchSize: BATCH_WRITE_MAX },
      );
  }

  /** Writes each event unless its id is already recorded; `fresh` ones without asking. */
  async append(events: MailEvent[], options: { fresh?: boolean } = {}): Promise<void> {
    const coalesced = this.#fresh;
    if (!options.fresh) await forEachLimited(events, this.concurrency, (event) => this.put(event));
    else if (coalesced) await Promise.all(events.map((event) => coalesced.load(event)));
    else await this.#writeFresh(events);
  }

  /** One put per event id (a batch may not name a key twice), in calls of 25. */
  async #writeFresh(events: readonly MailEvent[]): Promise<void> {
    const unique = [...new Map(events.map((event) => [event.eventId, event])).values()];
    const items = unique.map((event) => toItem(eventItem(event, this.retentionDays)));
    await batchWriteAll(this.client, this.tableName, putRequests(items), { concurrency: this.concurrency });
  }

  async list(messageId: string): Promise<MailEvent[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'pk' },
      ExpressionAttributeValues: toItem({ ':pk': messageId }),
      ConsistentRead: true,
    });
    return sortEvents(items.map((item) => withoutAttributes(item, STORAGE) as unknown as MailEvent));
  }

  private async put(event: MailEvent): Promise<void> {
    const item = eventItem(event, this.retentionDays);
    try {
      await this.client.send(
        new PutItemCommand({ TableName: this.tableName, Item: toItem(item), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    } catch (error) {
      // Recorded by a concurrent append: the first write stands.
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  }
}
