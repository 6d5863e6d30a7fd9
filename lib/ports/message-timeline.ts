import type { MessageRecord } from '../domain/message.ts';

/** A tenant's messages in the order they were accepted. */
export interface MessageTimeline {
  /**
   * Messages accepted from `start` to `end` (ISO times, both included), oldest first, read
   * page by page as the caller iterates, so that any number of them can be walked through.
   */
  between(tenant: string, start: string, end: string): AsyncIterable<MessageRecord>;
}
