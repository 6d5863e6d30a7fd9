/**
 * The rows of the downloadable reports, built from one message with its recipients and
 * events. Cells are plain strings here; CSV quoting and formula neutralisation happen when
 * the rows are written (lib/domain/csv.ts).
 */
import { sortEvents, type EventType, type MailEvent } from './events.ts';
import type { MessageRecord, RecipientRecord } from './message.ts';

/** A message as the export reads it. */
export interface MessageDetail {
  message: MessageRecord;
  recipients: RecipientRecord[];
  events: MailEvent[];
}

/** Columns of the sending report: one row per message and recipient. */
export const SENDS_COLUMNS = [
  'message_id',
  'created_at',
  'from',
  'to',
  'subject',
  'tags',
  'status',
  'last_event',
  'last_event_at',
  'relay_answer',
] as const;

/** Columns of the delivery-error report: one row per failure event. */
export const ERRORS_COLUMNS = [
  'at',
  'message_id',
  'recipient',
  'event',
  'bounce_type',
  'category',
  'explanation',
  'diagnostic',
  'relay',
] as const;

/**
 * Events that the delivery-error report lists: every way a recipient did not get the message
 * or did not want it — suppressed at acceptance (`rejected`), a temporary failure that will be
 * retried (`deferred`), a bounce (hard, or soft once retries ran out), mailroom giving up on
 * the message (`failed`), and a spam complaint.
 */
export const FAILURE_EVENTS: readonly EventType[] = ['rejected', 'deferred', 'bounced', 'failed', 'complained'];

// Said when an event carries no explanation of its own (the classification predates it, or
// the event type has none).
const DEFAULT_EXPLANATION: Partial<Record<EventType, string>> = {
  complained: 'The recipient reported the message as spam.',
  failed: 'mailroom could not process the message.',
};

/** Tags as `k=v; k2=v2`, sorted by name so that equal tags always read the same. */
export function formatTags(tags: Record<string, string>): string {
  return Object.keys(tags)
    .sort()
    .map((key) => `${key}=${tags[key]}`)
    .join('; ');
}

/** The last answer the relay gave for a recipient: its SMTP reply, or the SES message id. */
function relayAnswer(recipient: RecipientRecord, events: MailEvent[]): string {
  if (recipient.lastAnswer?.response) return recipient.lastAnswer.response;
  for (let i = events.length - 1; i >= 0; i--) {
    const detail = events[i]!.detail;
    const answer = detail.answer?.response ?? detail.sesMessageId;
    if (answer) return answer;
  }
  return '';
}

/** Rows of the sending report for one message, in the order its recipients were given. */
export function sendRows(detail: MessageDetail): string[][] {
  const { message } = detail;
  const byRecipient = new Map<string, MailEvent[]>();
  for (const event of sortEvents(detail.events)) {
    const list = byRecipient.get(event.recipient);
    if (list) list.push(event);
    else byRecipient.set(event.recipient, [event]);
  }
  const tags = formatTags(message.tags);
  return detail.recipients.map((recipient) => {
    const events = byRecipient.get(recipient.email) ?? [];
    const last = events[events.length - 1];
    return [
      message.id,
      message.createdAt,
      message.content.from,
      recipient.email,
      message.content.subject,
      tags,
      recipient.status,
      last?.type ?? '',
      last?.at ?? '',
      relayAnswer(recipient, events),
    ];
  });
}

/** Rows of the delivery-error report for one message, in event time order. */
export function errorRows(detail: MessageDetail): string[][] {
  return sortEvents(detail.events)
    .filter((event) => FAILURE_EVENTS.includes(event.type))
    .map((event) => {
      const d = event.detail;
      // A deferral is a temporary failure by definition, whether or not it was classified.
      const bounceType = d.bounceType ?? (event.type === 'deferred' ? 'soft' : '');
      return [
        event.at,
        event.messageId,
        event.recipient,
        event.type,
        bounceType,
        d.category ?? '',
        d.explanation ?? d.reason ?? DEFAULT_EXPLANATION[event.type] ?? '',
        d.diagnostic ?? d.answer?.response ?? '',
        d.relay ?? '',
      ];
    });
}
