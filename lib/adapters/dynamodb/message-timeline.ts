/**
 * MessageTimeline on the messages table's `byTenant` index (tenant, createdAt). Only message
 * items carry `tenant` and `createdAt`, so the index holds one item per message and no
 * recipients (see message-items.ts). The index holds keys only: each page's items are then
 * read by key (message-page.ts).
 */
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MessageRecord } from '../../domain/message.ts';
import type { MessageTimeline } from '../../ports/message-timeline.ts';
import { TABLES } from '../../topology.ts';
import { toItem, type Item } from './marshalling.ts';
import { messagesOfPage } from './message-page.ts';

const BY_TENANT = TABLES.messages.indexes[0].name;

/** Options of DynamoMessageTimeline. */
export interface DynamoMessageTimelineOptions {
  /** Messages per Query page; 100 by default (each page is one Query and one BatchGetItem). */
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

  /** Pages through the index, one Query per page, only when the caller has used the previous one. */
  async *between(tenant: string, start: string, end: string): AsyncGenerator<MessageRecord> {
    let startKey: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: BY_TENANT,
          KeyConditionExpression: '#tenant = :tenant AND #createdAt BETWEEN :start AND :end',
          ExpressionAttributeNames: { '#tenant': 'tenant', '#createdAt': 'createdAt' },
          ExpressionAttributeValues: toItem({ ':tenant': tenant, ':start': start, ':end': end }),
          ScanIndexForward: true,
          Limit: this.pageSize,
          ExclusiveStartKey: startKey,
        }),
      );
      yield* await messagesOfPage(this.client, this.tableName, page.Items ?? []);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}
