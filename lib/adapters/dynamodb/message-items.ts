/**
 * Item layout of the messages table (lib/topology.ts): per message one item with `sk = "#"`
 * holding the MessageRecord fields, and one item per recipient with `sk = "r#<email>"`
 * holding the RecipientRecord fields. Only message items carry `tenant` and `createdAt`, so
 * the `byTenant` index holds messages and no recipients. Every item has `expiresAt` (TTL).
 */
import type { MessageRecord, RecipientRecord, StoredMessage } from '../../domain/message.ts';
import { toItem, withoutAttributes, type Item } from './marshalling.ts';

/** Sort key of the message item. */
export const MESSAGE_SK = '#';
/** Sort-key prefix of recipient items. */
export const RECIPIENT_PREFIX = 'r#';

// Storage-only attributes. `position` keeps the recipients in the order they were given
// (the sort key orders them by address); `outcomeVersion` and `answerRank` keep recorded
// outcomes in order whatever order they arrive in (message-outcome.ts).
const MESSAGE_STORAGE = ['pk', 'sk', 'expiresAt', 'outcomeVersion'] as const;
const RECIPIENT_STORAGE = ['pk', 'sk', 'expiresAt', 'position', 'answerRank'] as const;

/** Key of a message item. */
export function messageKey(id: string): Item {
  return toItem({ pk: id, sk: MESSAGE_SK });
}

/** Key of a recipient item. */
export function recipientKey(messageId: string, email: string): Item {
  return toItem({ pk: messageId, sk: `${RECIPIENT_PREFIX}${email}` });
}

/** The message item. */
export function messageItem(message: MessageRecord, expiresAt: number): Item {
  return toItem({ ...message, pk: message.id, sk: MESSAGE_SK, expiresAt });
}

/** A recipient item; `position` is its index among the message's recipients. */
export function recipientItem(recipient: RecipientRecord, position: number, expiresAt: number): Item {
  return toItem({ ...recipient, pk: recipient.messageId, sk: `${RECIPIENT_PREFIX}${recipient.email}`, position, expiresAt });
}

/** A message item (unmarshalled) as a MessageRecord. */
export function toMessageRecord(item: Record<string, unknown>): MessageRecord {
  return withoutAttributes(item, MESSAGE_STORAGE) as unknown as MessageRecord;
}

/** Recipient items (unmarshalled, any order) as RecipientRecords in the order they were given. */
export function toRecipientRecords(items: Record<string, unknown>[]): RecipientRecord[] {
  return [...items]
    .sort((a, b) => Number(a.position ?? 0) - Number(b.position ?? 0))
    .map((item) => withoutAttributes(item, RECIPIENT_STORAGE) as unknown as RecipientRecord);
}

/** Assembles a StoredMessage from the items of one partition; undefined without a message item. */
export function toStoredMessage(items: Record<string, unknown>[]): StoredMessage | undefined {
  const message = items.find((item) => item.sk === MESSAGE_SK);
  if (!message) return undefined;
  const recipients = items.filter((item) => String(item.sk).startsWith(RECIPIENT_PREFIX));
  return { message: toMessageRecord(message), recipients: toRecipientRecords(recipients) };
}
