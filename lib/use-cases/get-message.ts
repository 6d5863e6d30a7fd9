/** A message as its tenant sees it: status, recipients and events in time order. */
import { NotFoundError } from '../domain/errors.ts';
import { publicDetail } from '../domain/event-document.ts';
import { sortEvents } from '../domain/events.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { MessageStore } from '../ports/message-store.ts';

export interface GetMessageDeps {
  messages: MessageStore;
  events: EventStore;
}

/** The API's view of a message. Another tenant's message is "not found". */
export async function getMessage(deps: GetMessageDeps, tenant: string, id: string) {
  const stored = /^[0-9A-Za-z]{1,64}$/.test(id) ? await deps.messages.get(id) : undefined;
  if (!stored || stored.message.tenant !== tenant) throw new NotFoundError('Message');
  const { message, recipients } = stored;
  const events = sortEvents(await deps.events.list(id));
  return {
    id: message.id,
    status: message.status,
    created_at: message.createdAt,
    updated_at: message.updatedAt,
    message_id_header: message.messageIdHeader,
    from: message.content.from,
    to: message.content.to,
    cc: message.content.cc,
    bcc: message.content.bcc,
    subject: message.content.subject,
    tags: message.tags,
    metadata: message.metadata,
    ...(message.content.attachments && {
      attachments: message.content.attachments.map((a) => ({
        filename: a.filename,
        content_type: a.contentType,
        size: a.size,
        disposition: a.disposition,
        ...(a.contentId !== undefined && { content_id: a.contentId }),
      })),
    }),
    attempts: message.attempts,
    recipients: recipients.map((r) => ({
      email: r.email,
      kind: r.kind,
      status: r.status,
      attempts: r.attempts,
      ...(r.lastAnswer && { last_answer: r.lastAnswer }),
    })),
    events: events.map((e) => ({ type: e.type, at: e.at, recipient: e.recipient, attempt: e.attempt, detail: publicDetail(e.detail) })),
  };
}
