/**
 * MessageBatchWriter on DynamoDB: the items of many new messages (see message-items.ts), their
 * feed lookup entries (feed-entries.ts) and their events (see event-store.ts) through
 * BatchWriteItem, 25 items per call across the three tables with several calls in flight,
 * instead of a conditional put per message and per event: a single send's message, body, feed
 * entry and `queued` event are one request. BatchWriteItem has no conditions: this is only for
 * messages that cannot exist yet.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MailEvent } from '../../domain/events.ts';
import type { StoredMessage } from '../../domain/message.ts';
import type { MessageBatchWriter } from '../../ports/message-batch-writer.ts';
import { DEFAULT_RETENTION_DAYS } from '../../topology.ts';
import { batchWriteTables, putRequests } from './batch-write.ts';
import { eventItem } from './event-store.ts';
import { feedEntries } from './feed-entries.ts';
import { expiryAfter, toItem } from './marshalling.ts';
import { newMessageItems } from './message-items.ts';

/** Options of DynamoMessageBatchWriter. */
export interface DynamoMessageBatchWriterOptions {
  /** Days items are kept (as for the message and event stores); DEFAULT_RETENTION_DAYS by default. */
  retentionDays?: number;
  /** BatchWriteItem calls in flight; 8 by default. */
  concurrency?: number;
}

/** The MessageBatchWriter port on the messages and events tables. */
export class DynamoMessageBatchWriter implements MessageBatchWriter {
  private readonly retentionDays: number;
  private readonly concurrency: number;

  constructor(
    private readonly client: DynamoDBClient,
    /** `feed`: the feed table, for the lookup entries (left out: none are written). */
    private readonly tables: { messages: string; events: string; feed?: string },
    options: DynamoMessageBatchWriterOptions = {},
  ) {
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
  }

  /**
   * Every item at once. DynamoDB writes each item atomically but a call's items in no set order:
   * a call that fails for good (throttling that outlasts the retries) may have written an event
   * without its message. The stream counts such an event (its message is then never sent), so
   * callers retry the same messages (campaign pages) or answer that nothing is sure (5xx).
   */
  async writeNew(messages: StoredMessage[], events: MailEvent[]): Promise<void> {
    const expiry = (stored: StoredMessage) => expiryAfter(stored.message.createdAt, this.retentionDays);
    const { feed } = this.tables;
    const entries = feed ? messages.flatMap((stored) => feedEntries(stored, expiry(stored))) : [];
    await batchWriteTables(
      this.client,
      {
        [this.tables.messages]: putRequests(messages.flatMap((stored) => newMessageItems(stored, expiry(stored)))),
        ...(feed && entries.length > 0 && { [feed]: putRequests(entries) }),
        ...(events.length > 0 && {
          [this.tables.events]: putRequests(events.map((event) => toItem(eventItem(event, this.retentionDays)))),
        }),
      },
      { concurrency: this.concurrency },
    );
  }
}
