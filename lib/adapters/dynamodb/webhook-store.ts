/**
 * WebhookStore on DynamoDB, in the webhooks table:
 *
 * - an endpoint: `pk = tenant`, `sk = endpoint id` (a ULID, so the partition is in creation
 *   order), the WebhookEndpoint fields (its secrets sealed);
 * - the tenant's endpoint count: `pk = "<tenant>#webhooks"`, `sk = "count"`, `n`, written in
 *   the same transaction as each create and delete, so that the limit holds however many
 *   creates run at once. Tenant ids hold no `#`, so no count shares an endpoint partition.
 *
 * The delivery log shares the table (webhook-delivery-store.ts).
 */
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { Page } from '../../domain/suppression.ts';
import { WebhookLimitError, type DisabledReason, type WebhookEndpoint } from '../../domain/webhook.ts';
import type { WebhookStore } from '../../ports/webhook-store.ts';
import { fromItem, toItem, withoutAttributes } from './marshalling.ts';
import { partitionPage } from './partition-page.ts';
import { queryAll } from './query-all.ts';
import { cancellationCodes, isTransactionConflict } from './transactions.ts';

/** Tries of a create or delete that another one on the same tenant's count overtook. */
const TRIES = 3;

/** Runs a transaction, again when another transaction on the same items overtook it. */
async function transact(client: DynamoDBClient, command: TransactWriteItemsCommand): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(command);
      return;
    } catch (error) {
      if (attempt === TRIES || !isTransactionConflict(error)) throw error;
    }
  }
}

const STORAGE = ['pk', 'sk'] as const;
const key = (tenant: string, id: string) => toItem({ pk: tenant, sk: id });
const countKey = (tenant: string) => toItem({ pk: `${tenant}#webhooks`, sk: 'count' });
const toEndpoint = (item: Record<string, unknown>) => withoutAttributes(item, STORAGE) as unknown as WebhookEndpoint;
const endpointItem = (endpoint: WebhookEndpoint) => toItem({ ...endpoint, pk: endpoint.tenant, sk: endpoint.id });
const sameVersion = (version: number) => ({
  ConditionExpression: '#version = :version',
  ExpressionAttributeNames: { '#version': 'version' },
  ExpressionAttributeValues: toItem({ ':version': version }),
});

/** Whether a write failed its condition (a plain conditional write). */
const conditionFailed = (error: unknown) => error instanceof ConditionalCheckFailedException;

/** The WebhookStore port on the webhooks table. */
export class DynamoWebhookStore implements WebhookStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** @throws WebhookLimitError; Error when the id is taken. */
  async create(endpoint: WebhookEndpoint, max: number): Promise<void> {
    try {
      await transact(
        this.client,
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: countKey(endpoint.tenant),
                UpdateExpression: 'ADD n :one',
                ConditionExpression: 'attribute_not_exists(n) OR n < :max',
                ExpressionAttributeValues: toItem({ ':one': 1, ':max': max }),
              },
            },
            { Put: { TableName: this.tableName, Item: endpointItem(endpoint), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed') throw new WebhookLimitError(max);
      if (codes?.[1] === 'ConditionalCheckFailed') throw new Error(`webhook endpoint ${endpoint.id} exists already`, { cause: error });
      throw error;
    }
  }

  async get(tenant: string, id: string): Promise<WebhookEndpoint | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(tenant, id), ConsistentRead: true }));
    return result.Item ? toEndpoint(fromItem(result.Item)) : undefined;
  }

  /** A page in id order; `limit` is 1..1000. A malformed cursor or limit throws ValidationError. */
  list(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<WebhookEndpoint>> {
    return partitionPage(this.client, this.tableName, tenant, options, toEndpoint);
  }

  async all(tenant: string): Promise<WebhookEndpoint[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: toItem({ ':pk': tenant }),
      ConsistentRead: true,
    });
    return items.map((item) => toEndpoint(item));
  }

  async replace(current: WebhookEndpoint, next: WebhookEndpoint): Promise<boolean> {
    try {
      await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: endpointItem(next), ...sameVersion(current.version) }));
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async delete(current: WebhookEndpoint): Promise<boolean> {
    try {
      await transact(
        this.client,
        new TransactWriteItemsCommand({
          TransactItems: [
            { Delete: { TableName: this.tableName, Key: key(current.tenant, current.id), ...sameVersion(current.version) } },
            {
              Update: {
                TableName: this.tableName,
                Key: countKey(current.tenant),
                UpdateExpression: 'ADD n :minus',
                ExpressionAttributeValues: toItem({ ':minus': -1 }),
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async noteFailure(tenant: string, id: string, at: string): Promise<string | undefined> {
    try {
      const result = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key(tenant, id),
          UpdateExpression: 'SET failingSince = if_not_exists(failingSince, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: toItem({ ':at': at }),
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return fromItem(result.Attributes ?? {}).failingSince as string | undefined;
    } catch (error) {
      if (conditionFailed(error)) return undefined;
      throw error;
    }
  }

  async noteSuccess(tenant: string, id: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key(tenant, id),
          UpdateExpression: 'REMOVE failingSince',
          ConditionExpression: 'attribute_exists(failingSince)',
        }),
      );
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
  }

  async disable(tenant: string, id: string, reason: DisabledReason, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key(tenant, id),
          UpdateExpression: 'SET enabled = :false, disabledReason = :reason, updatedAt = :at ADD #version :one',
          ConditionExpression: 'enabled = :true',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: toItem({ ':false': false, ':true': true, ':reason': reason, ':at': at, ':one': 1 }),
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }
}
