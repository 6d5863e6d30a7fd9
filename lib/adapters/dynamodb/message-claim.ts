/**
 * The conditional write that guards each delivery attempt, so that a job SQS delivers twice
 * relays the message once.
 */
import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ClaimResult } from '../../ports/message-store.ts';
import { fromItem, toItem } from './marshalling.ts';
import { bodyKey, hasBody, messageKey, toStoredMessage } from './message-items.ts';

/** Starts attempt `attempt` of message `id` (see MessageStore.claim); times in epoch ms. */
export async function claimAttempt(
  client: DynamoDBClient,
  tableName: string,
  id: string,
  attempt: number,
  now: number,
  leaseUntil: number,
  bodies?: Uint8Array,
): Promise<ClaimResult> {
  let attributes;
  try {
    const result = await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: messageKey(id),
        UpdateExpression: 'SET #attempts = :attempt, #leaseUntil = :leaseUntil',
        // The previous attempt is finished (or its worker died and its lease ran out), or this
        // attempt's own worker let its lease run out; and the message was not canceled (cancel
        // writes this item too, so a cancel and a claim cannot both succeed).
        ConditionExpression:
          '#status <> :canceled AND (' +
          '(#attempts = :prev AND (attribute_not_exists(#leaseUntil) OR #leaseUntil < :now)) OR ' +
          '(#attempts = :attempt AND attribute_exists(#leaseUntil) AND #leaseUntil < :now))',
        ExpressionAttributeNames: { '#attempts': 'attempts', '#leaseUntil': 'leaseUntil', '#status': 'status' },
        ExpressionAttributeValues: toItem({
          ':attempt': attempt,
          ':prev': attempt - 1,
          ':leaseUntil': leaseUntil,
          ':now': now,
          ':canceled': 'canceled',
        }),
        // The item as it was, to tell a takeover from a first claim; the new values are known.
        ReturnValues: 'ALL_OLD',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    attributes = result.Attributes ?? {};
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return refusal(error.Item ? fromItem(error.Item) : undefined, attempt);
  }
  // The message item holds the recipients; the bodies are read apart.
  const before = fromItem(attributes);
  const takeover = Number(before.attempts ?? 0) === attempt;
  const item = { ...before, attempts: attempt, leaseUntil };
  if (!hasBody(item)) return { kind: 'claimed', stored: toStoredMessage(item), takeover };
  // Packed as the body item keeps them: the caller's copy is the same bytes.
  if (bodies) return { kind: 'claimed', stored: toStoredMessage(item, { z: bodies }), takeover };
  const body = await client.send(new GetItemCommand({ TableName: tableName, Key: bodyKey(id), ConsistentRead: true }));
  // Written before the message item, so never missing: sending the message without its bodies would be worse than failing.
  if (!body.Item) throw new Error(`the body of message ${id} is missing`);
  return { kind: 'claimed', stored: toStoredMessage(item, fromItem(body.Item)), takeover };
}

/** Gives back the claim of attempt `attempt` held until `leaseUntil` (see MessageStore.release). */
export async function releaseAttempt(
  client: DynamoDBClient,
  tableName: string,
  id: string,
  attempt: number,
  leaseUntil: number,
): Promise<boolean> {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: messageKey(id),
        UpdateExpression: 'SET #attempts = :prev REMOVE #leaseUntil',
        ConditionExpression: '#attempts = :attempt AND #leaseUntil = :leaseUntil',
        ExpressionAttributeNames: { '#attempts': 'attempts', '#leaseUntil': 'leaseUntil' },
        ExpressionAttributeValues: toItem({ ':attempt': attempt, ':prev': attempt - 1, ':leaseUntil': leaseUntil }),
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Why a claim was refused, from the message item as it was when the condition failed. */
function refusal(old: Record<string, unknown> | undefined, attempt: number): ClaimResult {
  if (!old) return { kind: 'missing' };
  if (old.status === 'canceled') return { kind: 'done' };
  const attempts = Number(old.attempts ?? 0);
  if (attempts > attempt) return { kind: 'done' };
  if (attempts === attempt && old.leaseUntil === undefined) return { kind: 'done' };
  // Either this attempt holds an unexpired lease, or an earlier attempt has not finished yet
  // (attempts < attempt - 1): in both cases the job must wait and come back.
  return { kind: 'busy' };
}
