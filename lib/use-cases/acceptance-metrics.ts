/**
 * The acceptance metrics: `MessagesAccepted` and `MessagesRejected`, counted in recipients as the
 * reports count them (a message to three addresses that are not suppressed is three accepted).
 * A send refused as a whole, before its recipients count (invalid, over a limit, sending paused,
 * sender not verified), is one rejected. Rate limiting is not a rejection (the client sends
 * again), nor is a failure of mailroom's own (5xx).
 */
import { MailroomError } from '../domain/errors.ts';
import type { StoredMessage } from '../domain/message.ts';
import { METRIC } from '../observability/metric-names.ts';
import type { Metrics } from '../ports/metrics.ts';

/** Counts the recipients of messages just stored: queued or scheduled ones accepted, suppressed ones rejected. */
export function countStored(metrics: Metrics | undefined, stored: StoredMessage[]): void {
  if (!metrics) return;
  let accepted = 0;
  let rejected = 0;
  for (const message of stored) {
    for (const recipient of message.recipients) {
      if (recipient.status === 'rejected') rejected++;
      else accepted++;
    }
  }
  if (accepted) metrics.count(METRIC.accepted, {}, accepted);
  if (rejected) metrics.count(METRIC.rejected, {}, rejected);
}

/** Counts `sends` rejected when `error` refuses them (a 4xx other than 429); returns the error, for the caller to throw. */
export function countRefused(metrics: Metrics | undefined, error: unknown, sends = 1): unknown {
  if (metrics && error instanceof MailroomError && error.status < 500 && error.status !== 429) metrics.count(METRIC.rejected, {}, sends);
  return error;
}
