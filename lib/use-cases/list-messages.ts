/** The activity feed through the API: a tenant's messages, newest first, filtered. */
import { parseFeedQuery, type FeedMessage } from '../domain/feed.ts';
import type { MessageFeed } from '../ports/message-feed.ts';

export interface ListMessagesDeps {
  feed: MessageFeed;
}

/** A message as the feed lists it: what a list row shows, not the whole message. */
function feedItem(message: FeedMessage) {
  return {
    id: message.id,
    status: message.status,
    created_at: message.createdAt,
    ...(message.sendAt !== undefined && { send_at: message.sendAt }),
    from: message.content.from,
    to: message.content.to,
    subject: message.content.subject,
    tags: message.tags,
  };
}

/** `GET /v1/messages`: a page of the tenant's messages. Throws ValidationError naming each bad parameter. */
export async function listMessages(deps: ListMessagesDeps, tenant: string, query: Record<string, string>) {
  const { filter, limit, cursor } = parseFeedQuery(query);
  const page = await deps.feed.page(tenant, filter, { limit, ...(cursor !== undefined && { cursor }) });
  return { data: page.items.map(feedItem), next_cursor: page.cursor ?? null };
}
