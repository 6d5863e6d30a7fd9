/** The activity feed through the API: a tenant's messages, newest first, filtered. */
import { parseFeedQuery } from '../domain/feed.ts';
import type { MessageRecord } from '../domain/message.ts';
import { shownStatus } from '../domain/schedule.ts';
import type { Clock } from '../ports/clock.ts';
import type { MessageFeed } from '../ports/message-feed.ts';

export interface ListMessagesDeps {
  feed: MessageFeed;
  /** Tells a scheduled message whose time has come (it lists as `queued` then, as GET shows it). */
  clock: Clock;
}

/**
 * A message as the feed lists it: what a list row shows, not the whole message. Each field is
 * the one GET /v1/messages/{id} shows under the same name, so that the two views agree.
 */
function feedItem(message: MessageRecord, now: number) {
  return {
    id: message.id,
    status: shownStatus(message, now),
    created_at: message.createdAt,
    ...(message.sendAt && { send_at: message.sendAt }),
    from: message.content.from,
    to: message.content.to,
    subject: message.content.subject,
    ...(message.template && { template: message.template }),
    tags: message.tags,
  };
}

/** `GET /v1/messages`: a page of the tenant's messages. Throws ValidationError naming each bad parameter. */
export async function listMessages(deps: ListMessagesDeps, tenant: string, query: Record<string, string>) {
  const { filter, limit, cursor } = parseFeedQuery(query);
  const now = deps.clock.now().getTime();
  const page = await deps.feed.page(tenant, filter, { limit, now, ...(cursor !== undefined && { cursor }) });
  return { data: page.items.map((message) => feedItem(message, now)), next_cursor: page.cursor ?? null };
}
