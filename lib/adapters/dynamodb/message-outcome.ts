/**
 * MessageStore.recordOutcome on DynamoDB: a read of the message item, then one conditional
 * write that moves the recipient (only from what was read) and sets the message's recomputed
 * status (only if no other outcome was recorded for the message since, and its status is
 * still the one read). A write that loses a race is redone from a fresh read, so two
 * recipients' outcomes arriving together cannot undo each other's effect on the message's status.
 *
 * Storage-only attributes: `outcomeVersion` on the message item (optimistic locking) and
 * `answerRank` in the recipient's entry (the rank of the outcome its `lastAnswer` came from); an
 * outcome that replaces the relay's answer keeps it for the entry's carried `sent` event first (`csa`).
 */
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { overallStatus, type RecipientRecord, type StoredMessage } from '../../domain/message.ts';
import { outcomeRank, outcomeTransition } from '../../domain/recipient-outcome.ts';
import type { OutcomeResult, RecipientOutcome } from '../../ports/message-store.ts';
import { statusKeyWrite } from './feed-keys.ts';
import { fromItem, toItem } from './marshalling.ts';
import { ANSWER_RANK, CARRIED_SENT_ANSWER, RECIPIENTS, messageKey, recipientEntries, toStoredMessage } from './message-items.ts';

/** Counter on the message item, raised by every recorded outcome. */
export const OUTCOME_VERSION = 'outcomeVersion';
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
export async function recordOutcome(
  client: DynamoDBClient,
  tableName: string,
  id: string,
  outcome: RecipientOutcome,
): Promise<OutcomeResult> {
  for (let tries = 1; ; tries++) {
    const plan = await read(client, tableName, id, outcome);
    if ('kind' in plan) return plan;
    const { stored, recipient } = plan;
    if (!plan.moveStatus && !plan.moveAnswer) return { kind: 'kept', current: recipient.status };

    const statuses = stored.recipients.map((r) => (r.email === outcome.email && plan.moveStatus ? outcome.status : r.status));
    const messageStatus = overallStatus(statuses);
    try {
      await client.send(new UpdateItemCommand(outcomeWrite(tableName, id, outcome, plan, messageStatus)));
      return plan.moveStatus ? { kind: 'applied', previous: recipient.status, messageStatus } : { kind: 'kept', current: recipient.status };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || tries >= TRIES) throw error;
      await sleep(5 * tries + Math.random() * 10 * tries);
    }
  }
}

async function read(client: DynamoDBClient, tableName: string, id: string, outcome: RecipientOutcome): Promise<Plan | OutcomeResult> {
  const answer = await client.send(new GetItemCommand({ TableName: tableName, Key: messageKey(id), ConsistentRead: true }));
  if (!answer.Item) return { kind: 'missing' };
  const item = fromItem(answer.Item);
  const stored = toStoredMessage(item);
  const recipient = stored.recipients.find((r) => r.email === outcome.email);
  if (!recipient) return { kind: 'missing' };
  const transition = outcomeTransition(recipient.status, outcome.status);
  if (transition === 'pending') return { kind: 'pending' };

  const answerRank = Number(recipientEntries(item)[outcome.email]?.[ANSWER_RANK] ?? 0);
  const rank = outcomeRank(outcome.status) ?? 0;
  return {
    stored,
    recipient,
    version: Number(item[OUTCOME_VERSION] ?? 0),
    answerRank,
    moveStatus: transition === 'advance',
    // The answer of the highest-ranked outcome that had one stays, whatever the order.
    moveAnswer: outcome.answer !== undefined && outcomeRank(recipient.status) !== undefined && rank > answerRank,
  };
}

/** The recipient's entry moved, and with a status change the message's status too, only if nothing changed since the read. */
function outcomeWrite(tableName: string, id: string, outcome: RecipientOutcome, plan: Plan, messageStatus: string): UpdateItemCommandInput {
  const { message } = plan.stored;
  const entry = '#rcpt.#email';
  const sets = ['#version = :next'];
  // The byStatus index follows the message's status (only when it changes: an unchanged key writes nothing).
  const statusKey = plan.moveStatus && messageStatus !== message.status ? statusKeyWrite(id, messageStatus) : undefined;
  if (plan.moveStatus) {
    // The latest change gives the message its time, whichever order the reports came in.
    sets.push(`${entry}.#status = :status`, `${entry}.#updatedAt = :at`, '#status = :messageStatus', '#updatedAt = :messageUpdatedAt');
  }
  if (statusKey?.set) sets.push(statusKey.set);
  if (plan.moveAnswer) sets.push(`${entry}.#lastAnswer = :answer`, `${entry}.#answerRank = :rank`);
  // The sent event the entry carries answers with the relay's answer, kept apart before it is replaced (message-items.ts).
  const sentAnswer = plan.moveAnswer && plan.answerRank === 0 ? plan.recipient.carries?.sent?.answer : undefined;
  if (sentAnswer) sets.push(`${entry}.#sentAnswer = :sentAnswer`);
  if (outcome.sesMessageId) sets.push(`${entry}.#ses = if_not_exists(${entry}.#ses, :ses)`);
  const conditions = [
    `${entry}.#status = :from`,
    plan.answerRank === 0 ? `attribute_not_exists(${entry}.#answerRank)` : `${entry}.#answerRank = :readRank`,
    // The status read must still be there: a delivery attempt finishing in between changes it.
    '#status = :observed',
    plan.version === 0 ? 'attribute_not_exists(#version)' : '#version = :version',
  ];
  const names: Record<string, string> = {
    '#rcpt': RECIPIENTS,
    '#email': outcome.email,
    '#status': 'status',
    '#answerRank': ANSWER_RANK,
    '#version': OUTCOME_VERSION,
    ...statusKey?.names,
  };
  if (plan.moveStatus) names['#updatedAt'] = 'updatedAt';
  if (plan.moveAnswer) names['#lastAnswer'] = 'lastAnswer';
  if (sentAnswer) names['#sentAnswer'] = CARRIED_SENT_ANSWER;
  if (outcome.sesMessageId) names['#ses'] = 'sesMessageId';
  return {
    TableName: tableName,
    Key: messageKey(id),
    UpdateExpression: `SET ${sets.join(', ')}${statusKey?.remove ? ` REMOVE ${statusKey.remove}` : ''}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: toItem({
      ':next': plan.version + 1,
      ':from': plan.recipient.status,
      ':observed': message.status,
      ':readRank': plan.answerRank === 0 ? undefined : plan.answerRank,
      ':version': plan.version === 0 ? undefined : plan.version,
      ...(plan.moveStatus && {
        ':status': outcome.status,
        ':at': outcome.at,
        ':messageStatus': messageStatus,
        ':messageUpdatedAt': outcome.at > message.updatedAt ? outcome.at : message.updatedAt,
      }),
      ...(plan.moveAnswer && { ':answer': outcome.answer, ':rank': outcomeRank(outcome.status) }),
      ...(sentAnswer && { ':sentAnswer': sentAnswer }),
      ':ses': outcome.sesMessageId,
      ...statusKey?.values,
    }),
  };
}
