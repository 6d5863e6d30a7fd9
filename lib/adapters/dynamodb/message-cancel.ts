/**
 * Canceling a message: one conditional write on the message item, the item a delivery claim
 * writes (message-claim.ts), so that DynamoDB lets only one of the two through.
 */
import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MessageRecord, StoredMessage } from '../../domain/message.ts';
import type { CancelResult } from '../../ports/message-store.ts';
import { statusKeyWrite } from './feed-keys.ts';
import { fromItem, toItem } from './marshalling.ts';
import { RECIPIENTS, messageKey, toStoredMessage } from './message-items.ts';

// Reads again when the message changed between the read and the write (a claim came first).
const CANCEL_TRIES = 3;

/** Cancels message `id` of `tenant` (see MessageStore.cancel). */
export async function cancelMessage(
  client: DynamoDBClient,
  tableName: string,
  id: string,
  tenant: string,
  at: string,
): Promise<CancelResult> {
  for (let tries = 1; ; tries++) {
    const read = await client.send(new GetItemCommand({ TableName: tableName, Key: messageKey(id), ConsistentRead: true }));
    const item = read.Item ? fromItem(read.Item) : undefined;
    if (!item) return { kind: 'missing' };
    const stored = toStoredMessage(item);
    if (stored.message.tenant !== tenant) return { kind: 'missing' };
    const { message } = stored;
    if (message.status === 'canceled') return canceled(stored);
    if (!isCancelable(message)) return { kind: 'refused', status: message.status };
    const emails = stored.recipients.filter((recipient) => recipient.status === 'queued').map((recipient) => recipient.email);
    try {
      // The condition names the stored `tenant` as read: sharded (`<tenant>#<shard>`) or, for items written before, bare.
      const written = await client.send(
        new UpdateItemCommand({ ...cancelWrite(tableName, id, String(item.tenant), emails, at), ReturnValues: 'ALL_NEW' }),
      );
      return canceled(toStoredMessage(fromItem(written.Attributes ?? {})));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || tries >= CANCEL_TRIES) throw error;
    }
  }
}

/** Scheduled or queued, and no delivery attempt has begun (a claim given back unused counts as none). */
function isCancelable(message: MessageRecord): boolean {
  return (message.status === 'scheduled' || message.status === 'queued') && message.attempts === 0 && message.leaseUntil === undefined;
}

function canceled(stored: StoredMessage): CancelResult {
  const recipients = stored.recipients.filter((recipient) => recipient.status === 'canceled').map((recipient) => recipient.email);
  return { kind: 'canceled', stored, recipients };
}

/**
 * The write: the message and the given (queued) recipients canceled, only while isCancelable
 * holds and each is still queued; the message's byStatus key follows (feed-keys.ts).
 */
function cancelWrite(tableName: string, id: string, storedTenant: string, emails: string[], at: string) {
  const paths = emails.map((_, i) => `#rcpt.#r${i}`);
  const statusKey = statusKeyWrite(id, 'canceled');
  const sets = [
    '#status = :canceled',
    '#updatedAt = :at',
    ...paths.flatMap((path) => [`${path}.#status = :canceled`, `${path}.#updatedAt = :at`]),
    ...(statusKey.set ? [statusKey.set] : []),
  ];
  return {
    TableName: tableName,
    Key: messageKey(id),
    UpdateExpression: `SET ${sets.join(', ')}${statusKey.remove ? ` REMOVE ${statusKey.remove}` : ''}`,
    ConditionExpression: [
      '#tenant = :tenant',
      '#status IN (:scheduled, :queued)',
      '#attempts = :zero',
      'attribute_not_exists(#leaseUntil)',
      ...paths.map((path) => `${path}.#status = :queued`),
    ].join(' AND '),
    ExpressionAttributeNames: {
      '#tenant': 'tenant',
      '#status': 'status',
      '#updatedAt': 'updatedAt',
      '#attempts': 'attempts',
      '#leaseUntil': 'leaseUntil',
      ...statusKey.names,
      ...(emails.length > 0 && { '#rcpt': RECIPIENTS, ...Object.fromEntries(emails.map((email, i) => [`#r${i}`, email])) }),
    },
    ExpressionAttributeValues: toItem({
      ':canceled': 'canceled',
      ':at': at,
      ':tenant': storedTenant,
      ':scheduled': 'scheduled',
      ':queued': 'queued',
      ':zero': 0,
      ...statusKey.values,
    }),
  };
}
