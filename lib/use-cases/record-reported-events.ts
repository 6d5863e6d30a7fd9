/**
 * Recording what was reported about a message after the relay took it — SES's event records,
 * and the bounces, complaints and delays that come back to mailroom's return path: the events,
 * the recipients' new status, and the suppressions that follow (ses-suppressions.ts).
 *
 * Every step is idempotent (events by id, outcomes by rank, suppressions by precedence, soft
 * bounces by id), so a report handed over twice, or reports handed over out of order, leave the
 * same final state.
 */
import { normalizeAddress } from '../domain/address.ts';
import { OutcomeNotReadyError } from '../domain/errors.ts';
import { eventBaseOf, type MailEvent } from '../domain/events.ts';
import type { StoredMessage } from '../domain/message.ts';
import { outcomeStatus } from '../domain/recipient-outcome.ts';
import type { SesEventDraft } from '../domain/ses-events.ts';
import type { SoftBouncePolicy } from '../domain/soft-bounce-policy.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { Log } from '../ports/logger.ts';
import type { MessageStore } from '../ports/message-store.ts';
import type { Metrics, RelayKind } from '../ports/metrics.ts';
import type { SoftBounceStore } from '../ports/soft-bounce-store.ts';
import type { SuppressionStore } from '../ports/suppression-store.ts';
import { countReport } from './delivery-metrics.ts';
import { suppressAfter } from './ses-suppressions.ts';

/** What recording reported events needs. */
export interface ReportDeps {
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

/** What became of one report. */
export type ReportResult =
  | { kind: 'recorded'; messageId: string; events: number }
  /** Nothing to record, or nothing to record it on (the reason says which). */
  | { kind: 'ignored'; reason: string };

/**
 * Records `drafts` on the stored message, for the recipients it has (others are left out).
 * @throws OutcomeNotReadyError when a recipient's delivery attempt is still being recorded
 * (the caller hands the report over again later); store errors propagate for a retry.
 */
export async function recordReportedEvents(
  deps: ReportDeps,
  stored: StoredMessage,
  drafts: SesEventDraft[],
  source: { relay: RelayKind; sesMessageId?: string },
): Promise<ReportResult> {
  const id = stored.message.id;
  const events = toMailEvents(stored, drafts);
  if (events.length < drafts.length) {
    deps.log.warn('report names addresses the message was not sent to', { messageId: id, skipped: drafts.length - events.length });
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
      ...(source.sesMessageId && { sesMessageId: source.sesMessageId }),
    });
    if (result.kind === 'pending') pending.push(event.recipient);
  }
  // The outcome would be overwritten by the attempt still being recorded; come back later.
  if (pending.length) throw new OutcomeNotReadyError(id, pending);
  // Counted once the report is done with: one that comes back later is counted then.
  countReport(deps.metrics, source.relay, events);
  return { kind: 'recorded', messageId: id, events: events.length };
}

/** The drafts as events of the stored message, for the recipients it has; others are left out. */
function toMailEvents(stored: StoredMessage, drafts: SesEventDraft[]): MailEvent[] {
  const { message } = stored;
  // A report may change the case of an address (a DSN's Final-Recipient); match case-insensitively.
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
