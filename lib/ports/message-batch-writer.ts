import type { MailEvent } from '../domain/events.ts';
import type { StoredMessage } from '../domain/message.ts';

/**
 * Writes new messages and their events at once, without the per-message check that the id is
 * free. Only for messages the caller knows cannot exist yet (a campaign page that no run took
 * before, a send whose id was made for it just now): a message written this way over an
 * existing one would replace it.
 */
export interface MessageBatchWriter {
  /** Stores the messages with their recipients, and the events; every one is written or the call throws. */
  writeNew(messages: StoredMessage[], events: MailEvent[]): Promise<void>;
}
