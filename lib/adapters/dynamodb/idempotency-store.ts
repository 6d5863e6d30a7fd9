/**
 * IdempotencyStore on DynamoDB. Items: `pk = "<tenant>#<key>"`, `fingerprint`, `state`
 * (`in_progress` | `done`), `startedAt` (epoch ms of the key's first use), `response` (JSON
 * text, once done), `expiresAt` (epoch seconds, TTL) and, while a try holds the key, its
 * `token` and `leaseUntil` (epoch ms). TTL deletes late, so expiry is also checked in the write
 * condition. An item in progress without `leaseUntil` (a try gave it up, or it was written
 * before leases existed) is free to take over.
 */
import { randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { IdempotencyBegin, IdempotencyStore, IdempotencyTimes, StoredResponse } from '../../ports/idempotency-store.ts';
import { fromItem, toItem } from './marshalling.ts';

function partitionKey(tenant: string, idempotencyKey: string): string {
  return `${tenant}#${idempotencyKey}`;
}

function key(tenant: string, idempotencyKey: string) {
  return toItem({ pk: partitionKey(tenant, idempotencyKey) });
}

/** Tries of `begin` when the key changes hands between its two writes. */
const BEGIN_TRIES = 3;

/** What a `begin` that found the key taken makes of its item (undefined: the item is gone). */
function verdict(old: Record<string, unknown> | undefined, fingerprint: string, now: number): IdempotencyBegin | 'take-over' | undefined {
  if (!old) return undefined;
  if (old.fingerprint !== fingerprint) return { kind: 'mismatch' };
  if (old.state === 'done' && typeof old.response === 'string')
    return { kind: 'replay', response: JSON.parse(old.response) as StoredResponse };
  return typeof old.leaseUntil === 'number' && old.leaseUntil > now ? { kind: 'in_progress' } : 'take-over';
}

function conditionFailed(error: unknown): Record<string, unknown> | undefined {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
  return error.Item ? fromItem(error.Item) : undefined;
}

/** The IdempotencyStore port on the idempotency table. */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * Claims a new or expired key with one conditional put; when it is taken, the old item says
   * why, and a lapsed lease of the same request is taken over with a conditional update.
   */
  async begin(tenant: string, idempotencyKey: string, fingerprint: string, times: IdempotencyTimes): Promise<IdempotencyBegin> {
    const token = randomUUID();
    for (let tries = 1; ; tries++) {
      let old: Record<string, unknown> | undefined;
      try {
        await this.put(tenant, idempotencyKey, fingerprint, token, times);
        return { kind: 'started', token, startedAt: times.now };
      } catch (error) {
        old = conditionFailed(error);
      }
      const found = verdict(old, fingerprint, times.now);
      if (found === 'take-over') {
        try {
          return { kind: 'started', token, startedAt: await this.takeOver(tenant, idempotencyKey, fingerprint, token, times) };
        } catch (error) {
          const now = verdict(conditionFailed(error), fingerprint, times.now);
          if (now !== undefined && now !== 'take-over') return now;
        }
      } else if (found !== undefined) {
        return found;
      }
      // The key was released, or taken over by another try, in between: look again.
      if (tries >= BEGIN_TRIES) return { kind: 'in_progress' };
    }
  }

  private async put(tenant: string, idempotencyKey: string, fingerprint: string, token: string, times: IdempotencyTimes): Promise<void> {
    const item = {
      pk: partitionKey(tenant, idempotencyKey),
      fingerprint,
      state: 'in_progress',
      startedAt: times.now,
      token,
      leaseUntil: times.leaseUntil,
      // Rounded up: TTL counts whole seconds, and a key must not be freed before its time.
      expiresAt: Math.ceil(times.expiresAt / 1000),
    };
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: toItem(item),
        // A key whose time is up counts as free even before TTL has removed it.
        ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt <= :nowSeconds',
        ExpressionAttributeNames: { '#pk': 'pk', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: toItem({ ':nowSeconds': times.now / 1000 }),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  }

  /** Takes over the same request's key whose lease has ended; returns the key's `startedAt`. */
  private async takeOver(tenant: string, idempotencyKey: string, fingerprint: string, token: string, times: IdempotencyTimes) {
    const result = await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: key(tenant, idempotencyKey),
        // A key from before leases has no startedAt: its first try's ids were random anyway.
        UpdateExpression: 'SET #token = :token, #leaseUntil = :leaseUntil, #startedAt = if_not_exists(#startedAt, :now)',
        ConditionExpression:
          '#state = :inProgress AND #fingerprint = :fingerprint AND #expiresAt > :nowSeconds AND ' +
          '(attribute_not_exists(#leaseUntil) OR #leaseUntil <= :now)',
        ExpressionAttributeNames: {
          '#token': 'token',
          '#leaseUntil': 'leaseUntil',
          '#startedAt': 'startedAt',
          '#state': 'state',
          '#fingerprint': 'fingerprint',
          '#expiresAt': 'expiresAt',
        },
        ExpressionAttributeValues: toItem({
          ':token': token,
          ':leaseUntil': times.leaseUntil,
          ':now': times.now,
          ':nowSeconds': times.now / 1000,
          ':inProgress': 'in_progress',
          ':fingerprint': fingerprint,
        }),
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return Number(fromItem(result.Attributes ?? {}).startedAt);
  }

  /** Records the answer, only while this try holds the key. */
  async complete(tenant: string, idempotencyKey: string, token: string, response: StoredResponse): Promise<void> {
    await this.whileHeld(tenant, idempotencyKey, token, {
      UpdateExpression: 'SET #state = :done, #response = :response REMOVE #token, #leaseUntil',
      ExpressionAttributeNames: { '#state': 'state', '#response': 'response', '#leaseUntil': 'leaseUntil' },
      ExpressionAttributeValues: { ':done': 'done', ':response': JSON.stringify(response) },
    });
  }

  /** Deletes the key, only while this try holds it. */
  async release(tenant: string, idempotencyKey: string, token: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: key(tenant, idempotencyKey),
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: toItem({ ':token': token }),
        }),
      );
    } catch (error) {
      conditionFailed(error);
    }
  }

  /** Removes the lease (and the token), only while this try holds the key. */
  async abandon(tenant: string, idempotencyKey: string, token: string): Promise<void> {
    await this.whileHeld(tenant, idempotencyKey, token, {
      UpdateExpression: 'REMOVE #token, #leaseUntil',
      ExpressionAttributeNames: { '#leaseUntil': 'leaseUntil' },
      ExpressionAttributeValues: {},
    });
  }

  /** An update of the key's item on condition that `token` holds it; nothing when it does not. */
  private async whileHeld(
    tenant: string,
    idempotencyKey: string,
    token: string,
    update: {
      UpdateExpression: string;
      ExpressionAttributeNames: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    },
  ): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key(tenant, idempotencyKey),
          UpdateExpression: update.UpdateExpression,
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#token': 'token' },
          ExpressionAttributeValues: toItem({ ...update.ExpressionAttributeValues, ':token': token }),
        }),
      );
    } catch (error) {
      conditionFailed(error);
    }
  }
}
