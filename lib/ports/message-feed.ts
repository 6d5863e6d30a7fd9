import type { FeedFilter } from '../domain/feed.ts';
import type { MessageRecord } from '../domain/message.ts';
import type { Page } from '../domain/suppression.ts';

/** A tenant's messages, newest first, filtered: the activity feed. */
export interface MessageFeed {
  /**
   * The page of `tenant`'s messages matching `filter` that `options.cursor` points at (the
   * first without one), newest first. A page holds at most `limit` messages and may hold fewer,
   * even none, while `cursor` is set: a store reads a bounded number of messages per page.
   * `now` (epoch ms) is when statuses are read (see feedMatches). Throws ValidationError for a
   * limit or cursor it cannot use.
   */
  page(tenant: string, filter: FeedFilter, options: { limit: number; cursor?: string; now: number }): Promise<Page<MessageRecord>>;
}
