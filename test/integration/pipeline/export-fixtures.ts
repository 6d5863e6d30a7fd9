/**
 * Deterministic fixtures for the export tests: message `i` of a seed is computed from `i`
 * alone, so a test can check any row of a 50,000-row report without keeping the data.
 */
import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { forEachLimited } from '../../../lib/adapters/dynamodb/concurrency.ts';
import { expiryAfter, type Item } from '../../../lib/adapters/dynamodb/marshalling.ts';
import { newMessageItems } from '../../../lib/adapters/dynamodb/message-items.ts';
import { makeEvent, type EventType, type MailEvent } from '../../../lib/domain/events.ts';
import type { MessageStatus, RecipientRecord, StoredMessage } from '../../../lib/domain/message.ts';
import { DEFAULT_RETENTION_DAYS } from '../../../lib/topology.ts';

export const RECIPIENTS_PER_MESSAGE = 50;

/** `YYYY-MM-DD`, `offset` days from today (UTC). Fixtures stay recent: DynamoDB Local's TTL really deletes. */
export function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

// Values a spreadsheet or a CSV writer could get wrong: quotes, commas, line breaks, formula
// starters, non-ASCII text.
const SUBJECTS = [
  'Your receipt',
  'Hello, "friend"',
  '=HYPERLINK("http://evil.test","click")',
  '-50% off, today only',
  'Line one\nline two',
  'Grüße aus Köln — 日本 😀',
  '@channel heads up',
  '+1 for tabs',
];

export function messageId(seed: string, i: number): string {
  return `01${seed}${String(i).padStart(6, '0')}`;
}

export function recipientEmail(i: number, r: number): string {
  return r === 1 ? `zoë.${i}@exämple.test` : `user${r}.m${i}@example.org`;
}

/** Recipient `r`'s status: every tenth bounced, every tenth deferred, the rest sent. */
export function recipientStatus(r: number): MessageStatus {
  return r % 10 === 9 ? 'bounced' : r % 10 === 8 ? 'deferred' : 'sent';
}

export function recipientAnswer(i: number, r: number): string {
  const status = recipientStatus(r);
  if (status === 'bounced') return `550 5.1.1 <${recipientEmail(i, r)}>: no such user`;
  if (status === 'deferred') return '451 4.7.1 greylisted, try again later';
  return `250 2.0.0 Ok: queued as ${i}-${r}`;
}

/** Message `i` of a seed, accepted at `createdAt`. */
export function fixtureMessage(
  seed: string,
  i: number,
  tenant: string,
  createdAt: string,
  recipients = RECIPIENTS_PER_MESSAGE,
): StoredMessage {
  const id = messageId(seed, i);
  const emails = Array.from({ length: recipients }, (_, r) => recipientEmail(i, r));
  const records: RecipientRecord[] = emails.map((email, r) => ({
    messageId: id,
    email,
    kind: 'to',
    status: recipientStatus(r),
    attempts: 1,
    lastAnswer: { code: Number(recipientAnswer(i, r).slice(0, 3)), response: recipientAnswer(i, r) },
    updatedAt: createdAt,
  }));
  return {
    message: {
      id,
      tenant,
      createdAt,
      updatedAt: createdAt,
      messageIdHeader: `<${id.toLowerCase()}@acme.test>`,
      envelopeFrom: 'billing@acme.test',
      content: {
        from: '"Acme, Inc." <billing@acme.test>',
        to: emails,
        cc: [],
        bcc: [],
        replyTo: [],
        subject: subjectOf(i),
        text: 'Thanks.',
        headers: {},
      },
      tags: { kind: 'receipt', campaign: `c${i % 3}` },
      metadata: {},
      status: 'sent',
      attempts: 1,
    },
    recipients: records,
  };
}

export function subjectOf(i: number): string {
  return SUBJECTS[i % SUBJECTS.length]!;
}

/** One event of message `i` for recipient `r`, `seconds` after `createdAt`. */
export function fixtureEvent(
  seed: string,
  i: number,
  r: number,
  tenant: string,
  createdAt: string,
  type: EventType,
  seconds: number,
  detail: MailEvent['detail'] = {},
): MailEvent {
  return makeEvent({
    messageId: messageId(seed, i),
    tenant,
    recipient: recipientEmail(i, r),
    type,
    at: new Date(Date.parse(createdAt) + seconds * 1000).toISOString(),
    attempt: 1,
    tags: { kind: 'receipt' },
    detail,
  });
}

/** What the report shows for a cell a spreadsheet would run as a formula (OWASP: a leading `'`). */
export function neutralised(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/**
 * Stores messages with exactly the items DynamoMessageStore.create writes (its own item
 * builders), but with BatchWriteItem: 25 items a call instead of two calls a message.
 */
export async function seedMessages(client: DynamoDBClient, tableName: string, stored: StoredMessage[], concurrency = 8): Promise<void> {
  const items: Item[] = stored.flatMap((message) =>
    newMessageItems(message, expiryAfter(message.message.createdAt, DEFAULT_RETENTION_DAYS)),
  );
  const batches: Item[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await forEachLimited(batches, concurrency, async (batch) => {
    let pending = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let tries = 0; pending.length > 0; tries++) {
      if (tries > 8) throw new Error(`${pending.length} items still unprocessed`);
      const answer = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
      pending = (answer.UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
  });
}
