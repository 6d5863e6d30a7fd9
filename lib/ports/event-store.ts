import type { MailEvent } from '../domain/events.ts';

/** Append-only log of message events. */
export interface EventStore {
  /**
   * Appends events; one already recorded (same eventId) is left as it is, without error.
   * `fresh`: no one but an earlier try of this same call can have recorded them (a delivery
   * attempt's events, written by the worker holding its lease): the store need not ask, and
   * an earlier try's item, the same, may be written over.
   */
  append(events: MailEvent[], options?: { fresh?: boolean }): Promise<void>;
  /** A message's events, oldest first. */
  list(messageId: string): Promise<MailEvent[]>;
}
