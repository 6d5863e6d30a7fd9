/**
 * Events a message record carries itself (RecipientRecord.carries): each recipient's `queued`
 * and `sent` events, which nearly every message has, are not written to the event store.
 * Acceptance and the end of an attempt write the message record anyway, and the record says
 * which of the two events it holds; the store's change stream turns a write that added some
 * into those events (newlyCarried), and a message's history joins them to the stored ones
 * (messageHistory). Each is the very event that would have been stored: same id, fields and time.
 */
import { eventBaseOf, makeEvent, sortEvents, type MailEvent } from './events.ts';
import type { StoredMessage } from './message.ts';

/** The events `stored` carries, recipient by recipient. */
export function carriedEvents(stored: StoredMessage): MailEvent[] {
  const { message } = stored;
  const base = eventBaseOf(message);
  return stored.recipients.flatMap((recipient) => {
    const events: MailEvent[] = [];
    const carries = recipient.carries;
    if (carries?.queued) {
      events.push(makeEvent({ ...base, recipient: recipient.email, type: 'queued', at: message.createdAt, attempt: 0, detail: {} }));
    }
    if (carries?.sent) {
      const { at, attempt, relay, answer } = carries.sent;
      events.push(makeEvent({ ...base, recipient: recipient.email, type: 'sent', at, attempt, detail: { relay, answer } }));
    }
    return events;
  });
}

/** The events a write that turned `before` (undefined: nothing) into `after` recorded: those `after` carries and `before` did not. */
export function newlyCarried(before: StoredMessage | undefined, after: StoredMessage): MailEvent[] {
  const known = new Set(before ? carriedEvents(before).map((event) => event.eventId) : []);
  return carriedEvents(after).filter((event) => !known.has(event.eventId));
}

/** A message's whole history in time order: the stored events and those its record carries, each once. */
export function messageHistory(stored: StoredMessage | undefined, recorded: MailEvent[]): MailEvent[] {
  const byId = new Map(recorded.map((event) => [event.eventId, event]));
  for (const event of stored ? carriedEvents(stored) : []) if (!byId.has(event.eventId)) byId.set(event.eventId, event);
  return sortEvents([...byId.values()]);
}
