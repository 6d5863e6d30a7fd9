/** The transactional writes that end a delivery attempt or fail a message. */
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { MessageStatus, RecipientRecord } from '../../domain/message.ts';
import { toItem } from './marshalling.ts';
import { messageKey, recipientKey } from './message-items.ts';

/**
 * The writes of MessageStore.complete: the message item first (only while it is still at
 * `attempt`), then one update per recipient. Callers rely on that order to read the
 * cancellation reasons.
 */
export function completeWrites(
  tableName: string,
  id: string,
  attempt: number,
  recipients: RecipientRecord[],
  status: MessageStatus,
  at: string,
): TransactWriteItem[] {
  // One transaction may not touch an item twice: the last record given for an address wins.
  const unique = [...new Map(recipients.map((recipient) => [recipient.email, recipient])).values()];
  const message: TransactWriteItem = {
    Update: {
      TableName: tableName,
      Key: messageKey(id),
      UpdateExpression: 'SET #status = :status, #updatedAt = :at REMOVE #leaseUntil',
      ConditionExpression: '#attempts = :attempt',
      ExpressionAttributeNames: { '#status': 'status', '#updatedAt': 'updatedAt', '#leaseUntil': 'leaseUntil', '#attempts': 'attempts' },
      ExpressionAttributeValues: toItem({ ':status': status, ':at': at, ':attempt': attempt }),
    },
  };
  return [message, ...unique.map((recipient) => recipientUpdate(tableName, id, recipient))];
}

// An update rather than a put keeps the storage-only attributes (position, expiresAt); the
// condition stops a stray address from creating a partial recipient item.
function recipientUpdate(tableName: string, id: string, recipient: RecipientRecord): TransactWriteItem {
  const set = 'SET #status = :status, #attempts = :attempts, #kind = :kind, #updatedAt = :updatedAt';
  return {
    Update: {
      TableName: tableName,
      Key: recipientKey(id, recipient.email),
      UpdateExpression: recipient.lastAnswer === undefined ? `${set} REMOVE #lastAnswer` : `${set}, #lastAnswer = :lastAnswer`,
      ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: {
        '#pk': 'pk',
        '#status': 'status',
        '#attempts': 'attempts',
        '#kind': 'kind',
        '#updatedAt': 'updatedAt',
        '#lastAnswer': 'lastAnswer',
      },
      // removeUndefinedValues drops `:lastAnswer` when there is none, matching the REMOVE above.
      ExpressionAttributeValues: toItem({
        ':status': recipient.status,
        ':attempts': recipient.attempts,
        ':kind': recipient.kind,
        ':updatedAt': recipient.updatedAt,
        ':lastAnswer': recipient.lastAnswer,
      }),
    },
  };
}

/**
 * The writes of MessageStore.markFailed: the message (if it still exists) and each of the
 * given recipients only while it is still queued or deferred. The lease is dropped so that a
 * duplicate job for the same attempt is seen as done.
 */
export function failedWrites(tableName: string, id: string, pending: RecipientRecord[], at: string): TransactWriteItem[] {
  const values = toItem({ ':failed': 'failed', ':at': at });
  return [
    {
      Update: {
        TableName: tableName,
        Key: messageKey(id),
        UpdateExpression: 'SET #status = :failed, #updatedAt = :at REMOVE #leaseUntil',
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': 'pk', '#status': 'status', '#updatedAt': 'updatedAt', '#leaseUntil': 'leaseUntil' },
        ExpressionAttributeValues: values,
      },
    },
    ...pending.map((recipient) => ({
      Update: {
        TableName: tableName,
        Key: recipientKey(id, recipient.email),
        UpdateExpression: 'SET #status = :failed, #updatedAt = :at',
        ConditionExpression: '#status IN (:queued, :deferred)',
        ExpressionAttributeNames: { '#status': 'status', '#updatedAt': 'updatedAt' },
        ExpressionAttributeValues: { ...values, ...toItem({ ':queued': 'queued', ':deferred': 'deferred' }) },
      },
    })),
  ];
}
