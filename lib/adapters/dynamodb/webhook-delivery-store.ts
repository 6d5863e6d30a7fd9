/**
 * The delivery log on DynamoDB, in the webhooks table beside the endpoints: one item per
 * delivery, `sk = delivery id` (ULID-shaped, time-ordered, so the newest come first when read
 * backwards), expiring DELIVERY_RETENTION_DAYS after it was made. Each try updates the item in
 * one write, which creates it on the first. An endpoint's log is written across
 * WEBHOOKS.deliveryShards partitions (webhook-delivery-keys.ts), so that a busy endpoint's tries
 * do not all land on one key; a page merges them newest first.
 */
import {
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { Page } from '../../domain/suppression.ts';
import { DELIVERY_RETENTION_DAYS, type WebhookDelivery } from '../../domain/webhook-delivery.ts';
import type { AttemptRecord, WebhookDeliveryStore } from '../../ports/webhook-store.ts';
import { checkLimit } from './cursor.ts';
import { decodeFeedCursor, encodeFeedCursor } from './feed-cursor.ts';
import { expiryAfter, fromItem, toItem, withoutAttributes } from './marshalling.ts';
import { ShardMerge } from './shard-merge.ts';
import { sourceReader, startPositions } from './source-reader.ts';
import { deliveryLogDigest, deliveryLogSource, deliveryPartition, legacyDeliveryPartition } from './webhook-delivery-keys.ts';

const STORAGE = ['pk', 'sk', 'expiresAt'] as const;
const toDelivery = (item: Record<string, unknown>) => withoutAttributes(item, STORAGE) as unknown as WebhookDelivery;

/** The WebhookDeliveryStore port on the webhooks table. */
export class DynamoWebhookDeliveryStore implements WebhookDeliveryStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly retentionDays = DELIVERY_RETENTION_DAYS,
  ) {}

  /**
   * The delivery from its shard. Unless `firstTry` (no record can exist yet but one the log kept
   * before it was sharded, which a first try never has), a delivery missing there is looked for
   * in the endpoint's partition of before, and moved to its shard when found there, so that the
   * tries after it update one item.
   */
  async get(tenant: string, endpointId: string, id: string, options: { firstTry?: boolean } = {}): Promise<WebhookDelivery | undefined> {
    const sharded = await this.read(deliveryPartition(tenant, endpointId, id), id);
    if (sharded || options.firstTry) return sharded && toDelivery(sharded);
    const legacy = await this.read(legacyDeliveryPartition(tenant, endpointId), id);
    if (!legacy) return undefined;
    const moved = await this.move(legacy, deliveryPartition(tenant, endpointId, id));
    return toDelivery(moved);
  }

  async list(tenant: string, endpointId: string, options: { limit: number; cursor?: string }): Promise<Page<WebhookDelivery>> {
    checkLimit(options.limit);
    const source = deliveryLogSource(this.tableName, tenant, endpointId);
    const digest = deliveryLogDigest(tenant, endpointId);
    const positions = options.cursor === undefined ? startPositions(source) : decodeFeedCursor(options.cursor, digest, source);
    const merge = new ShardMerge(sourceReader(this.client, source, { consistentRead: true }), positions);
    const items = (await merge.take(options.limit)).map((entry) => toDelivery(entry));
    return merge.done ? { items } : { items, cursor: encodeFeedCursor(digest, source, merge.positions()) };
  }

  private async read(pk: string, id: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toItem({ pk, sk: id }), ConsistentRead: true }),
    );
    return result.Item && fromItem(result.Item);
  }

  /**
   * Moves an item of the unsharded log to its shard, in one transaction: the copy is written only
   * where none is yet (another reader may have moved it and a try updated it since), and the
   * original is removed either way. Answers the item as it stands in its shard.
   */
  private async move(item: Record<string, unknown>, pk: string): Promise<Record<string, unknown>> {
    const from = { pk: item.pk, sk: item.sk };
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: toItem({ ...item, pk }),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Delete: { TableName: this.tableName, Key: toItem(from) } },
          ],
        }),
      );
      return { ...item, pk };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      // Moved already: the original is a stale copy.
      await this.client.send(
        new TransactWriteItemsCommand({ TransactItems: [{ Delete: { TableName: this.tableName, Key: toItem(from) } }] }),
      );
      return (await this.read(pk, String(item.sk))) ?? { ...item, pk };
    }
  }

  async record(attempt: AttemptRecord): Promise<WebhookDelivery> {
    const values: Record<string, unknown> = {
      ':id': attempt.id,
      ':tenant': attempt.tenant,
      ':endpointId': attempt.endpointId,
      ':eventId': attempt.eventId,
      ':type': attempt.type,
      ':body': attempt.body,
      ':at': attempt.at,
      ':expiresAt': expiryAfter(attempt.at, this.retentionDays),
      ':status': attempt.status,
      ':tries': attempt.attempted ? 1 : 0,
    };
    const set = [
      // The delivery and its document, from the first record on.
      ...['id', 'tenant', 'endpointId', 'eventId', 'type', 'body'].map((name) => `#${name} = if_not_exists(#${name}, :${name})`),
      'createdAt = if_not_exists(createdAt, :at)',
      'expiresAt = if_not_exists(expiresAt, :expiresAt)',
      '#status = :status',
      'updatedAt = :at',
    ];
    const remove: string[] = [];
    for (const [name, value] of [
      ['lastStatusCode', attempt.statusCode],
      ['lastError', attempt.error],
      ['durationMs', attempt.durationMs],
      ['nextAttemptAt', attempt.nextAttemptAt],
    ] as const) {
      if (value === undefined) {
        remove.push(name);
      } else {
        set.push(`${name} = :${name}`);
        values[`:${name}`] = value;
      }
    }
    const result = await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: toItem({ pk: deliveryPartition(attempt.tenant, attempt.endpointId, attempt.id), sk: attempt.id }),
        UpdateExpression: `SET ${set.join(', ')} ADD attempts :tries${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
        ExpressionAttributeNames: Object.fromEntries(
          ['id', 'tenant', 'endpointId', 'eventId', 'type', 'body', 'status'].map((name) => [`#${name}`, name]),
        ),
        ExpressionAttributeValues: toItem(values),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toDelivery(fromItem(result.Attributes ?? {}));
  }
}
