/**
 * The delivery metrics, per relay (`ses` or `smtp`), counted in recipients: `MessagesSent`,
 * `MessagesDeferred`, `MessagesBounced` (with `BounceType`), `MessagesComplained` and
 * `MessagesFailed`, with the relay's answer time and the time from acceptance to the relay's
 * answer. Delivery counts its own attempts' outcomes; SES's later reports (bounces, complaints,
 * delivery delays) are counted when the ses-events function records them.
 */
import type { MailEvent } from '../domain/events.ts';
import { METRIC } from '../observability/metric-names.ts';
import { relayKind, type Metrics, type RelayKind } from '../ports/metrics.ts';

/** What one attempt took: the relay's answer, and the time from the message's acceptance (or `send_at`) to it. */
export interface AttemptTiming {
  answerMs?: number;
  acceptToSentMs: number;
}

/** Counts the outcomes among `events` of the relay `relay` reported: sent, deferred, bounced, complained. */
function countOutcomes(metrics: Metrics, relay: RelayKind, events: MailEvent[]): { sent: number; bounced: number } {
  const counts = { sent: 0, deferred: 0, hard: 0, soft: 0, complained: 0 };
  for (const event of events) {
    if (event.type === 'sent' || event.type === 'deferred' || event.type === 'complained') counts[event.type]++;
    else if (event.type === 'bounced') counts[event.detail.bounceType === 'soft' ? 'soft' : 'hard']++;
  }
  if (counts.sent) metrics.count(METRIC.sent, { relay }, counts.sent);
  if (counts.deferred) metrics.count(METRIC.deferred, { relay }, counts.deferred);
  if (counts.hard) metrics.count(METRIC.bounced, { relay, bounceType: 'hard' }, counts.hard);
  if (counts.soft) metrics.count(METRIC.bounced, { relay, bounceType: 'soft' }, counts.soft);
  if (counts.complained) metrics.count(METRIC.complained, { relay }, counts.complained);
  return { sent: counts.sent, bounced: counts.hard + counts.soft };
}

/**
 * Counts a recorded delivery attempt through the relay named `relay` (`RelayResult.relay`; `none`
 * when no recipient was left to send to). Its bounces are also failures: delivery gave up on
 * those recipients, for the relay's permanent refusal or the retry deadline.
 */
export function countAttempt(metrics: Metrics | undefined, relay: string, events: MailEvent[], timing: AttemptTiming): void {
  if (!metrics || relay === 'none') return;
  const kind = relayKind(relay);
  const { sent, bounced } = countOutcomes(metrics, kind, events);
  if (bounced) metrics.count(METRIC.failed, { relay: kind }, bounced);
  if (timing.answerMs !== undefined) metrics.duration(METRIC.relayAnswerTime, timing.answerMs, { relay: kind });
  if (sent) metrics.duration(METRIC.acceptToSent, timing.acceptToSentMs, { relay: kind });
}

/** Counts what SES reported about mail it took (recorded events): bounces, complaints, delivery delays. */
export function countSesReport(metrics: Metrics | undefined, events: MailEvent[]): void {
  countReport(metrics, 'ses', events);
}

/**
 * Counts what was reported after the relay took the mail (recorded events): SES's reports, or
 * the bounces, complaints and delays that came back to mailroom's return path (relay `smtp`).
 */
export function countReport(metrics: Metrics | undefined, relay: RelayKind, events: MailEvent[]): void {
  if (metrics) countOutcomes(metrics, relay, events);
}
