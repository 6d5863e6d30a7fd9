/**
 * EventStore on DynamoDB. Items: `pk = messageId`, `sk = eventId`, every MailEvent field, and
 * `expiresAt` (TTL). The table's stream carries each new item to reports and notifications,
 * so an event must be written once only: the key is the deterministic event id, and a put
 * that finds it already there changes nothing, whatever time the retried producer gave it.
 */
import { ConditionalCheckFailedException, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { sortEvents, type MailEvent } from '../../domain/events.ts';
import type { EventStore } from '../../ports/event-store.ts';
import { DEFAULT_RETENTION_DAYS } from '../../topology.ts';
import { forEachLimited } from './concurrency.ts';
import { expiryAfter, toItem, withoutAttributes } from './marshalling.ts';
import { queryAll } from './query-all.ts';

/** Options of DynamoEventStore. */
export interface DynamoEventStoreOptions {
  /** Days events are kept before DynamoDB's TTL removes them; DEFAULT_RETENTION_DAYS by default. */
  retentionDays?: number;
  /** Puts in flight at once; 8 by default. */
  concurrency?: number;
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

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    options: DynamoEventStoreOptions = {},
  ) {
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
  }

  /** Writes each event unless its id is already recorded. */
  async append(events: MailEvent[]): Promise<void> {
    await forEachLimited(events, this.concurrency, (event) => this.put(event));
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
