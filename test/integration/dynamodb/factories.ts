/** Small factories for the records the DynamoDB adapter tests store. */
import { randomUUID } from 'node:crypto';
import { makeEvent, type EventType, type MailEvent } from '../../../lib/domain/events.ts';
import type { RecipientRecord, StoredMessage } from '../../../lib/domain/message.ts';

/**
 * A time base for fixtures: now, to the second. DynamoDB Local's TTL really deletes items, so
 * fixtures must not be dated earlier than their retention allows.
 */
export const T0 = Math.floor(Date.now() / 1000) * 1000;

/** ISO time `ms` after T0. */
export function iso(ms = 0): string {
  return new Date(T0 + ms).toISOString();
}

/** A unique id for a message, tenant or key. */
export function uniqueId(prefix = 'm'): string {
  return `${prefix}-${randomUUID()}`;
}

/** A queued message with the given recipients (to, then cc, then bcc order as given). */
export function storedMessage(options: { id?: string; tenant?: string; createdAt?: string; recipients?: string[] } = {}): StoredMessage {
  const id = options.id ?? uniqueId();
  const createdAt = options.createdAt ?? iso();
  const emails = options.recipients ?? ['zoe@example.com', 'adam@example.com', 'bob@example.org'];
  return {
    message: {
      id,
      tenant: options.tenant ?? 'tenant-a',
      createdAt,
      messageIdHeader: `<${id}@mailroom.test>`,
      envelopeFrom: 'sender@example.com',
      content: {
        from: 'Sender <sender@example.com>',
        to: emails.slice(0, 1),
        cc: emails.slice(1),
        bcc: [],
        replyTo: [],
        subject: 'Hello',
        text: 'Hi there',
        headers: { 'X-Campaign': 'spring' },
      },
      tags: { campaign: 'spring' },
      metadata: { order: 42, gift: true, note: null },
      status: 'queued',
      attempts: 0,
      updatedAt: createdAt,
    },
    recipients: emails.map((email, index) => recipient(id, email, index === 0 ? 'to' : 'cc', createdAt)),
  };
}

/** A queued recipient of a message. */
export function recipient(messageId: string, email: string, kind: RecipientRecord['kind'] = 'to', updatedAt = iso()): RecipientRecord {
  return { messageId, email, kind, status: 'queued', attempts: 0, updatedAt };
}

/** An event of a message for one recipient. */
export function mailEvent(
  messageId: string,
  type: EventType,
  at: string,
  options: { recipient?: string; attempt?: number } = {},
): MailEvent {
  return makeEvent({
    messageId,
    tenant: 'tenant-a',
    recipient: options.recipient ?? 'zoe@example.com',
    type,
    at,
    attempt: options.attempt ?? 1,
    tags: { campaign: 'spring' },
    detail: type === 'sent' ? { relay: 'smtp', answer: { code: 250, enhanced: '2.0.0', response: '250 2.0.0 OK' } } : {},
  });
}
