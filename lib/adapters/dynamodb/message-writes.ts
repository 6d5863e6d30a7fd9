/**
 * The single-item writes that end a delivery attempt, fail a message or requeue it. The
 * recipients live in the message item (message-items.ts), so each is one conditional
 * UpdateItem: all of it happens, or none.
 */
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { MessageStatus, RecipientRecord } from '../../domain/message.ts';
import { statusKeyWrite, type StatusKeyWrite } from './feed-keys.ts';
import { toItem } from './marshalling.ts';
import { RECIPIENTS, messageKey, recipientEntry } from './message-items.ts';

/** Placeholders `#r0`, `#r1`… for the addresses, `#rcpt` for the recipients map; none without addresses (unused names are an error). */
function addressNames(emails: string[]): Record<string, string> {
  if (emails.length === 0) return {};
  return { '#rcpt': RECIPIENTS, ...Object.fromEntries(emails.map((email, i) => [`#r${i}`, email])) };
}

/** `SET <sets> REMOVE #leaseUntil`, with the status key's clause in its list. */
function setAndRemove(sets: string[], statusKey: StatusKeyWrite): string {
  const set = [...sets, ...(statusKey.set ? [statusKey.set] : [])];
  const remove = ['#leaseUntil', ...(statusKey.remove ? [statusKey.remove] : [])];
  return `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`;
}

/**
 * The write of MessageStore.complete: each given recipient's entry replaced (the last record
 * given for an address wins), the message's status set and its lease removed, only while the
 * message is still at `attempt` and has each of those recipients. A recipient an attempt
 * serves is pending, and outcomes are never recorded for pending recipients, so replacing the
 * whole entry loses nothing.
 */
export function completeWrite(
  tableName: string,
  id: string,
  attempt: number,
  recipients: RecipientRecord[],
  status: MessageStatus,
  at: string,
): UpdateItemCommandInput {
  const unique = [...new Map(recipients.map((recipient) => [recipient.email, recipient])).values()];
  const paths = unique.map((_, i) => `#rcpt.#r${i}`);
  const statusKey = statusKeyWrite(id, status);
  return {
    TableName: tableName,
    Key: messageKey(id),
    UpdateExpression: setAndRemove(['#status = :status', '#updatedAt = :at', ...paths.map((path, i) => `${path} = :r${i}`)], statusKey),
    ConditionExpression: ['#attempts = :attempt', ...paths.map((path) => `attribute_exists(${path})`)].join(' AND '),
    ExpressionAttributeNames: {
      '#status': 'status',
      '#updatedAt': 'updatedAt',
      '#leaseUntil': 'leaseUntil',
      '#attempts': 'attempts',
      ...statusKey.names,
      ...addressNames(unique.map((recipient) => recipient.email)),
    },
    ExpressionAttributeValues: toItem({
      ':status': status,
      ':at': at,
      ':attempt': attempt,
      ...statusKey.values,
      ...Object.fromEntries(unique.map((recipient, i) => [`:r${i}`, recipientEntry(recipient)])),
    }),
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

/**
 * A status change of the message and of some of its recipients: MessageStore.markFailed
 * (`from` queued or deferred, `to` failed; the lease is dropped so that a duplicate job for
 * the same attempt is seen as done) and requeueFailed (`from` failed, `to` queued). Each
 * recipient changes only while its status is still one of `from`; the message must exist.
 */
export function statusWrite(
  tableName: string,
  id: string,
  emails: string[],
  from: MessageStatus[],
  to: MessageStatus,
  at: string,
): UpdateItemCommandInput {
  const paths = emails.map((_, i) => `#rcpt.#r${i}`);
  const fromList = from.map((_, i) => `:from${i}`).join(', ');
  const statusKey = statusKeyWrite(id, to);
  return {
    TableName: tableName,
    Key: messageKey(id),
    UpdateExpression: setAndRemove(
      ['#status = :to', '#updatedAt = :at', ...paths.flatMap((path) => [`${path}.#status = :to`, `${path}.#updatedAt = :at`])],
      statusKey,
    ),
    ConditionExpression: ['attribute_exists(#pk)', ...paths.map((path) => `${path}.#status IN (${fromList})`)].join(' AND '),
    ExpressionAttributeNames: {
      '#pk': 'pk',
      '#status': 'status',
      '#updatedAt': 'updatedAt',
      '#leaseUntil': 'leaseUntil',
      ...statusKey.names,
      ...addressNames(emails),
    },
    // Unused values are an error, so the `from` statuses only come with recipients to check.
    ExpressionAttributeValues: toItem({
      ':to': to,
      ':at': at,
      ...statusKey.values,
      ...(emails.length > 0 && Object.fromEntries(from.map((status, i) => [`:from${i}`, status]))),
    }),
  };
}
