/**
 * MessageTimeline on the messages table's write-sharded `byTenant` index (tenant, createdAt),
 * its shards merged oldest first (message-page.ts). Only message items carry `tenant` and
 * `createdAt`, so the index holds one item per message and no recipients (see
 * message-items.ts). The index holds keys only: each page's items are then read by key.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MessageRecord } from '../../domain/message.ts';
import type { MessageTimeline } from '../../ports/message-timeline.ts';
import { tenantMessagesBetween } from './message-page.ts';

/** Options of DynamoMessageTimeline. */
export interface DynamoMessageTimelineOptions {
  /** Messages per page; 100 by default (each page is a Query of each shard at most and one BatchGetItem). */
  pageSize?: number;
}

/** The MessageTimeline port on the messages table. */
export class DynamoMessageTimeline implements MessageTimeline {
  private readonly pageSize: number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    options: DynamoMessageTimelineOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 100;
  }

  /** Pages through the index's shards, a page only when the caller has used the previous one. */
  between(tenant: string, start: string, end: string): AsyncGenerator<MessageRecord> {
    return tenantMessagesBetween(this.client, this.tableName, tenant, { start, end, pageSize: this.pageSize });
  }
}
