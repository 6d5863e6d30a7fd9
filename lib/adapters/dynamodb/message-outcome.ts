/**
 * MessageStore.recordOutcome on DynamoDB: a read of the message's partition, then one
 * transaction that moves the recipient (only from what was read) and writes the message's
 * recomputed status (only if no other outcome was recorded for the message since, and its
 * status is still the one read). A transaction that loses a race is redone from a fresh
 * read, so two recipients' outcomes arriving together cannot undo each other's effect on the
 * message's status.
 *
 * Storage-only attributes: `outcomeVersion` on the message item (optimistic locking) and
 * `answerRank` on the recipient item (the rank of the outcome its `lastAnswer` came from).
 */
import { TransactWriteItemsCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { overallStatus, type RecipientRecord, type StoredMessage } from '../../domain/message.ts';
import { outcomeRank, outcomeTransition } from '../../domain/recipient-outcome.ts';
import type { OutcomeResult, RecipientOutcome } from '../../ports/message-store.ts';
import { toItem } from './marshalling.ts';
import { MESSAGE_SK, RECIPIENT_PREFIX, messageKey, recipientKey, toStoredMessage } from './message-items.ts';
import { queryAll } from './query-all.ts';
import { cancellationCodes } from './transactions.ts';

/** Counter on the message item, raised by every recorded outcome. */
export const OUTCOME_VERSION = 'outcomeVersion';
/** Rank of the outcome a recipient's `lastAnswer` came from. */
export const ANSWER_RANK = 'answerRank';
const TRIES = 8;

/** What was read, and what to write. */
interface Plan {
  stored: StoredMessage;
  recipient: RecipientRecord;
  /** The message item's outcome counter as read. */
  version: number;
  /** The recipient's answer rank as read (0: the relay's own answer). */
  answerRank: number;
  moveStatus: boolean;
  moveAnswer: boolean;
}

/** Records an outcome for one recipient of message `id` (see MessageStore.recordOutcome). */
export async function recordOutcome(client: DynamoDBClient, tableName: string, id: string, outcome: RecipientOutcome): Promise<OutcomeResult> {
  for (let tries = 1; ; tries++) {
    const plan = await read(client, tableName, id, outcome);
    if ('kind' in plan) return plan;
    const { stored, recipient } = plan;
    if (!plan.moveStatus && !plan.moveAnswer) return { kind: 'kept', current: recipient.status };

    const statuses = stored.recipients.map((r) => (r.email === outcome.email && plan.moveStatus ? outcome.status : r.status));
    const messageStatus = overallStatus(statuses);
    const TransactItems = [recipientWrite(tableName, id, outcome, plan)];
    if (plan.moveStatus) TransactItems.push(messageWrite(tableName, id, outcome, plan, messageStatus));
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems }));
      return plan.moveStatus ? { kind: 'applied', previous: recipient.status, messageStatus } : { kind: 'kept', current: recipient.status };
    } catch (error) {
      const codes = cancellationCodes(error);
      const lostRace = codes?.some((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict');
      if (!lostRace || tries >= TRIES) throw error;
      await sleep(5 * tries + Math.random() * 10 * tries);
    }
  }
}

async function read(client: DynamoDBClient, tableName: string, id: string, outcome: RecipientOutcome): Promise<Plan | OutcomeResult> {
  const items = await queryAll(client, {
    TableName: tableName,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': 'pk' },
    ExpressionAttributeValues: toItem({ ':pk': id }),
    ConsistentRead: true,
  });
  const stored = toStoredMessage(items);
  const recipient = stored?.recipients.find((r) => r.email === outcome.email);
  if (!stored || !recipient) return { kind: 'missing' };
  const transition = outcomeTransition(recipient.status, outcome.status);
  if (transition === 'pending') return { kind: 'pending' };

  const item = items.find((i) => i.sk === `${RECIPIENT_PREFIX}${outcome.email}`);
  const answerRank = Number(item?.[ANSWER_RANK] ?? 0);
  const rank = outcomeRank(outcome.status) ?? 0;
  return {
    stored,
    recipient,
    version: Number(items.find((i) => i.sk === MESSAGE_SK)?.[OUTCOME_VERSION] ?? 0),
    answerRank,
    moveStatus: transition === 'advance',
    // The answer of the highest-ranked outcome that had one stays, whatever the order.
    moveAnswer: outcome.answer !== undefined && outcomeRank(recipient.status) !== undefined && rank > answerRank,
  };
}

function recipientWrite(tableName: string, id: string, outcome: RecipientOutcome, plan: Plan): TransactWriteItem {
  const sets: string[] = [];
  if (plan.moveStatus) sets.push('#status = :status', '#updatedAt = :at');
  if (plan.moveAnswer) sets.push('#lastAnswer = :answer', '#answerRank = :rank');
  if (outcome.sesMessageId) sets.push('#ses = if_not_exists(#ses, :ses)');
  const names: Record<string, string> = { '#status': 'status', '#answerRank': ANSWER_RANK };
  if (plan.moveStatus) names['#updatedAt'] = 'updatedAt';
  if (plan.moveAnswer) names['#lastAnswer'] = 'lastAnswer';
  if (outcome.sesMessageId) names['#ses'] = 'sesMessageId';
  return {
    Update: {
      TableName: tableName,
      Key: recipientKey(id, outcome.email),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: `#status = :from AND ${plan.answerRank === 0 ? 'attribute_not_exists(#answerRank)' : '#answerRank = :readRank'}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: toItem({
        ':from': plan.recipient.status,
        ':readRank': plan.answerRank === 0 ? undefined : plan.answerRank,
        ...(plan.moveStatus && { ':status': outcome.status, ':at': outcome.at }),
        ...(plan.moveAnswer && { ':answer': outcome.answer, ':rank': outcomeRank(outcome.status) }),
        ':ses': outcome.sesMessageId,
      }),
    },
  };
}

function messageWrite(tableName: string, id: string, outcome: RecipientOutcome, plan: Plan, status: string): TransactWriteItem {
  const { message } = plan.stored;
  // The latest change gives the message its time, whichever order the reports came in.
  const updatedAt = outcome.at > message.updatedAt ? outcome.at : message.updatedAt;
  const versionCondition = plan.version === 0 ? 'attribute_not_exists(#version)' : '#version = :version';
  return {
    Update: {
      TableName: tableName,
      Key: messageKey(id),
      UpdateExpression: 'SET #status = :status, #updatedAt = :updatedAt, #version = :next',
      // The status read must still be there: a delivery attempt finishing in between changes it.
      ConditionExpression: `attribute_exists(#pk) AND #status = :observed AND ${versionCondition}`,
      ExpressionAttributeNames: { '#pk': 'pk', '#status': 'status', '#updatedAt': 'updatedAt', '#version': OUTCOME_VERSION },
      ExpressionAttributeValues: toItem({
        ':status': status,
        ':observed': message.status,
        ':updatedAt': updatedAt,
        ':next': plan.version + 1,
        ':version': plan.version === 0 ? undefined : plan.version,
      }),
    },
  };
}
