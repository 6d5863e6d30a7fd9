/**
 * IdempotencyStore on DynamoDB. Items: `pk = "<tenant>#<key>"`, `fingerprint`, `state`
 * (`in_progress` | `done`), `response` (JSON text, once done) and `expiresAt` (epoch seconds,
 * TTL). TTL deletes late, so expiry is also checked in the write condition.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { IdempotencyBegin, IdempotencyStore, StoredResponse } from '../../ports/idempotency-store.ts';
import { fromItem, toItem } from './marshalling.ts';

function partitionKey(tenant: string, idempotencyKey: string): string {
  return `${tenant}#${idempotencyKey}`;
}

function key(tenant: string, idempotencyKey: string) {
  return toItem({ pk: partitionKey(tenant, idempotencyKey) });
}

/** The IdempotencyStore port on the idempotency table. */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Claims the key with one conditional put; when it is taken, the old item says why. */
  async begin(tenant: string, idempotencyKey: string, fingerprint: string, now: number, expiresAt: number): Promise<IdempotencyBegin> {
    // Rounded up: TTL counts whole seconds, and a key must not be freed before its time.
    const item = { pk: partitionKey(tenant, idempotencyKey), fingerprint, state: 'in_progress', expiresAt: Math.ceil(expiresAt / 1000) };
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem(item),
          // A key whose time is up counts as free even before TTL has removed it.
          ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt <= :now',
          ExpressionAttributeNames: { '#pk': 'pk', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: toItem({ ':now': now / 1000 }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { kind: 'started' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old = error.Item ? fromItem(error.Item) : {};
      if (old.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (old.state === 'done' && typeof old.response === 'string') {
        return { kind: 'replay', response: JSON.parse(old.response) as StoredResponse };
      }
      return { kind: 'in_progress' };
    }
  }

  /** Records the answer; does nothing if the key has meanwhile been released or removed. */
  async complete(tenant: string, idempotencyKey: string, response: StoredResponse): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key(tenant, idempotencyKey),
          UpdateExpression: 'SET #state = :done, #response = :response',
          // Without it, an update would create an item with neither fingerprint nor expiry.
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': 'pk', '#state': 'state', '#response': 'response' },
          ExpressionAttributeValues: toItem({ ':done': 'done', ':response': JSON.stringify(response) }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  }

  async release(tenant: string, idempotencyKey: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: key(tenant, idempotencyKey) }));
  }
}
