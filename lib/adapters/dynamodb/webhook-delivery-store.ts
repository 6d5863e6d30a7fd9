/**
 * The delivery log on DynamoDB, in the webhooks table beside the endpoints: one item per
 * delivery, `pk = "<tenant>#<endpoint id>"`, `sk = delivery id` (ULID-shaped, time-ordered, so
 * the newest come first when read backwards), expiring DELIVERY_RETENTION_DAYS after it was
 * made. Each try updates the item in one write, which creates it on the first.
 */
import { GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Page } from '../../domain/suppression.ts';
import { DELIVERY_RETENTION_DAYS, type WebhookDelivery } from '../../domain/webhook-delivery.ts';
import type { AttemptRecord, WebhookDeliveryStore } from '../../ports/webhook-store.ts';
import { expiryAfter, fromItem, toItem, withoutAttributes } from './marshalling.ts';
import { partitionPage } from './partition-page.ts';

const STORAGE = ['pk', 'sk', 'expiresAt'] as const;
const partition = (tenant: string, endpointId: string) => `${tenant}#${endpointId}`;
const toDelivery = (item: Record<string, unknown>) => withoutAttributes(item, STORAGE) as unknown as WebhookDelivery;

/** The WebhookDeliveryStore port on the webhooks table. */
export class DynamoWebhookDeliveryStore implements WebhookDeliveryStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly retentionDays = DELIVERY_RETENTION_DAYS,
  ) {}

  async get(tenant: string, endpointId: string, id: string): Promise<WebhookDelivery | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toItem({ pk: partition(tenant, endpointId), sk: id }), ConsistentRead: true }),
    );
    return result.Item ? toDelivery(fromItem(result.Item)) : undefined;
  }

  list(tenant: string, endpointId: string, options: { limit: number; cursor?: string }): Promise<Page<WebhookDelivery>> {
    return partitionPage(this.client, this.tableName, partition(tenant, endpointId), { ...options, newestFirst: true }, toDelivery);
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
        Key: toItem({ pk: partition(attempt.tenant, attempt.endpointId), sk: attempt.id }),
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
