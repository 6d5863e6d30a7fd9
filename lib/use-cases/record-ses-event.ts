/**
 * Recording what Amazon SES reports about a message it took from mailroom: the events, the
 * recipients' new status, and the suppressions that follow — a hard bounce or a complaint
 * suppresses the address for the tenant; soft bounces do only when the address soft-bounced
 * repeatedly within the policy's window.
 *
 * Every step is idempotent (events by id, outcomes by rank, suppressions by precedence, soft
 * bounces by id), so a record handed over twice, or records handed over out of order, leave
 * the same final state. A record that names a message mailroom does not know is dropped.
 */
import { normalizeAddress } from '../domain/address.ts';
import { OutcomeNotReadyError } from '../domain/errors.ts';
import { eventBaseOf, type MailEvent } from '../domain/events.ts';
import type { StoredMessage } from '../domain/message.ts';
import { outcomeStatus } from '../domain/recipient-outcome.ts';
import { sesEventDrafts, type SesEventDraft } from '../domain/ses-events.ts';
import { MAILROOM_ID_TAG, MAILROOM_TENANT_TAG, sesTagText } from '../domain/ses-message-tags.ts';
import { sesTag, type SesNotification } from '../domain/ses-notification.ts';
import type { SoftBouncePolicy } from '../domain/soft-bounce-policy.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { Log } from '../ports/logger.ts';
import type { MessageStore } from '../ports/message-store.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { SoftBounceStore } from '../ports/soft-bounce-store.ts';
import type { SuppressionStore } from '../ports/suppression-store.ts';
import { countSesReport } from './delivery-metrics.ts';
import { suppressAfter } from './ses-suppressions.ts';

export interface RecordSesEventDeps {
  messages: MessageStore;
  events: EventStore;
  suppressions: SuppressionStore;
  softBounces: SoftBounceStore;
  softBouncePolicy: SoftBouncePolicy;
  clock: Clock;
  log: Log;
  /** Counts the bounces, complaints and delivery delays recorded (delivery-metrics.ts); absent: nothing is counted. */
  metrics?: Metrics;
}

/** What became of one SES event record. */
export type SesEventResult =
  | { kind: 'recorded'; messageId: string; events: number }
  /** Nothing to record, or nothing to record it on (the reason says which). */
  | { kind: 'ignored'; reason: string };

const MESSAGE_ID = /^[0-9A-Za-z]{1,64}$/;

/**
 * Records one SES event record.
 * @throws OutcomeNotReadyError when a recipient's delivery attempt is still being recorded
 * (the caller hands the record over again later); store errors propagate for a retry.
 */
export async function recordSesEvent(deps: RecordSesEventDeps, notification: SesNotification): Promise<SesEventResult> {
  const drafts = sesEventDrafts(notification);
  const sesMessageId = notification.mail.messageId;
  if (drafts.length === 0) return { kind: 'ignored', reason: `nothing to record for ${notification.eventType}` };

  const id = sesTag(notification.mail, MAILROOM_ID_TAG);
  // Mail sent through the same configuration set by something other than mailroom.
  if (!id || !MESSAGE_ID.test(id)) return ignored(deps, 'SES event without a mailroom message id dropped', { sesMessageId });
  const stored = await deps.messages.get(id);
  if (!stored) return ignored(deps, 'SES event for an unknown message dropped', { sesMessageId, messageId: id });
  const tenantTag = sesTag(notification.mail, MAILROOM_TENANT_TAG);
  if (tenantTag !== undefined && tenantTag !== sesTagText(stored.message.tenant)) {
    return ignored(deps, 'SES event whose tenant tag does not match the message dropped', { sesMessageId, messageId: id });
  }

  const events = toMailEvents(stored, drafts);
  if (events.length < drafts.length) {
    deps.log.warn('SES event names addresses the message was not sent to', { messageId: id, skipped: drafts.length - events.length });
  }
  if (events.length === 0) return { kind: 'ignored', reason: 'no recipient of the message named' };

  await deps.events.append(events);
  for (const event of events) await suppressAfter(deps, event);

  const pending: string[] = [];
  for (const event of events) {
    const status = outcomeStatus(event.type);
    if (!status) continue;
    const result = await deps.messages.recordOutcome(id, {
      email: event.recipient,
      status,
      at: event.at,
      ...(event.detail.answer && { answer: event.detail.answer }),
      sesMessageId,
    });
    if (result.kind === 'pending') pending.push(event.recipient);
  }
  // The outcome would be overwritten by the attempt still being recorded; come back later.
  if (pending.length) throw new OutcomeNotReadyError(id, pending);
  // Counted once the record is done with: one that comes back later is counted then.
  countSesReport(deps.metrics, events);
  deps.log.info('SES event recorded', { messageId: id, sesMessageId, type: notification.eventType, events: events.length });
  return { kind: 'recorded', messageId: id, events: events.length };
}

function ignored(deps: RecordSesEventDeps, message: string, extra: Record<string, unknown>): SesEventResult {
  deps.log.warn(message, extra);
  return { kind: 'ignored', reason: message };
}

/** The drafts as events of the stored message, for the recipients it has; others are left out. */
function toMailEvents(stored: StoredMessage, drafts: SesEventDraft[]): MailEvent[] {
  const { message } = stored;
  // SES may change the case of an address (a DSN's Final-Recipient); match case-insensitively.
  const recipients = new Map(stored.recipients.map((r) => [r.email.toLowerCase(), r.email]));
  const unique = new Map<string, MailEvent>();
  for (const draft of drafts) {
    const recipient = recipients.get((normalizeAddress(draft.email) ?? draft.email).toLowerCase());
    if (!recipient) continue;
    const eventId = `${message.id}/${draft.type}/${recipient}/${draft.key}`;
    unique.set(eventId, {
      eventId,
      ...eventBaseOf(message),
      recipient,
      type: draft.type,
      at: draft.at,
      attempt: message.attempts,
      detail: draft.detail,
    });
  }
  return [...unique.values()];
}
