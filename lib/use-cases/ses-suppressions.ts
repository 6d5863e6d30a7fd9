/**
 * The suppressions a bounce or complaint leads to: a hard bounce (`hard_bounce`) or a
 * complaint (`complaint`) reported by SES suppresses the address for the tenant at once; a
 * soft bounce (from SES, or from mailroom's own delivery giving up) is remembered, and
 * suppresses (as `hard_bounce`: the address is treated as undeliverable) only when the
 * address soft-bounced repeatedly within the policy's window.
 */
import { suppressesAddress } from '../domain/bounce-classification.ts';
import type { MailEvent } from '../domain/events.ts';
import { shouldSuppressAfterSoftBounces, type SoftBouncePolicy } from '../domain/soft-bounce-policy.ts';
import type { Suppression } from '../domain/suppression.ts';
import { supersedes } from '../domain/suppression-precedence.ts';
import type { Clock } from '../ports/clock.ts';
import type { Log } from '../ports/logger.ts';
import type { SoftBounceStore } from '../ports/soft-bounce-store.ts';
import type { SuppressionStore } from '../ports/suppression-store.ts';

export interface SesSuppressionDeps {
  suppressions: SuppressionStore;
  softBounces: SoftBounceStore;
  softBouncePolicy: SoftBouncePolicy;
  clock: Clock;
  log: Log;
}

const HOUR_MS = 3_600_000;
const MAX_DETAIL = 1000;

/** Suppresses the event's recipient when the event calls for it; safe to repeat. */
export async function suppressAfter(deps: SesSuppressionDeps, event: MailEvent): Promise<void> {
  const entry = await suppressionFor(deps, event);
  if (!entry) return;
  // A duplicate or an older report must not replace what a later one (or a person) decided.
  if (!supersedes(entry, await deps.suppressions.get(entry.tenant, entry.email))) return;
  await deps.suppressions.put(entry);
  deps.log.info('address suppressed after a bounce or complaint', { messageId: event.messageId, reason: entry.reason, event: event.type });
}

async function suppressionFor(deps: SesSuppressionDeps, event: MailEvent): Promise<Suppression | undefined> {
  const base = { tenant: event.tenant, email: event.recipient, sourceMessageId: event.messageId, createdAt: event.at };
  const diagnostic = event.detail.diagnostic ?? event.detail.answer?.response ?? event.detail.reason;
  if (event.type === 'complained') {
    const feedback = event.detail.complaintFeedbackType ? ` (${event.detail.complaintFeedbackType})` : '';
    const through = event.detail.relay === 'ses' ? 'Amazon SES' : 'a feedback loop';
    return { ...base, reason: 'complaint', detail: `complaint reported through ${through}${feedback}` };
  }
  if (event.type !== 'bounced') return undefined;
  if (event.detail.bounceType === 'hard') {
    // A bounce that came back to the return path suppresses as a relay's refusal does: only when
    // it says the address itself cannot receive mail (SES has made that call for its own).
    if (event.detail.relay !== 'ses' && event.detail.category && !suppressesAddress({ type: 'hard', category: event.detail.category })) {
      return undefined;
    }
    return { ...base, reason: 'hard_bounce', ...(diagnostic && { detail: diagnostic.slice(0, MAX_DETAIL) }) };
  }

  const policy = deps.softBouncePolicy;
  const now = deps.clock.now();
  const window = policy.windowHours * HOUR_MS;
  const times = await deps.softBounces.record(
    event.tenant,
    event.recipient,
    { id: event.eventId, at: event.at },
    {
      since: new Date(now.getTime() - window).toISOString(),
      expiresAt: new Date(now.getTime() + window).toISOString(),
    },
  );
  if (!shouldSuppressAfterSoftBounces(times, now, policy)) return undefined;
  const detail = `soft-bounced ${times.length} times within ${policy.windowHours} hours${diagnostic ? `; last: ${diagnostic}` : ''}`;
  return { ...base, reason: 'hard_bounce', detail: detail.slice(0, MAX_DETAIL) };
}
