import type { MailEvent } from '../domain/events.ts';

/** Append-only log of message events. */
export interface EventStore {
  /** Appends events; one already recorded (same eventId) is left as it is, without error. */
  append(events: MailEvent[]): Promise<void>;
  /** A message's events, oldest first. */
  list(messageId: string): Promise<MailEvent[]>;
}
