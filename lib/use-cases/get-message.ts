/** A message as its tenant sees it: status, recipients and events in time order. */
import { NotFoundError } from '../domain/errors.ts';
import { publicDetail } from '../domain/event-document.ts';
import { messageHistory } from '../domain/carried-events.ts';
import { shownStatus } from '../domain/schedule.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { MessageStore } from '../ports/message-store.ts';

export interface GetMessageDeps {
  messages: MessageStore;
  events: EventStore;
  /** Tells a scheduled message whose time has come (it reads `queued` then). */
  clock: Clock;
}

/** Whether `id` can be a message id at all (anything else is simply not found). */
export function isMessageId(id: string): boolean {
  return /^[0-9A-Za-z]{1,64}$/.test(id);
}

/**
 * The API's view of a message. Another tenant's message is "not found". A scheduled message
 * reads `scheduled`, its waiting recipients too, until its `send_at`.
 */
export async function getMessage(deps: GetMessageDeps, tenant: string, id: string) {
  const stored = isMessageId(id) ? await deps.messages.get(id) : undefined;
  if (!stored || stored.message.tenant !== tenant) throw new NotFoundError('Message');
  const { message, recipients } = stored;
  const events = messageHistory(stored, await deps.events.list(id));
  const status = shownStatus(message, deps.clock.now().getTime());
  return {
    id: message.id,
    status,
    ...(message.sendAt && { send_at: message.sendAt }),
    created_at: message.createdAt,
    updated_at: message.updatedAt,
    message_id_header: message.messageIdHeader,
    from: message.content.from,
    to: message.content.to,
    cc: message.content.cc,
    bcc: message.content.bcc,
    subject: message.content.subject,
    ...(message.template && { template: message.template }),
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
      status: status === 'scheduled' && r.status === 'queued' ? status : r.status,
      attempts: r.attempts,
      ...(r.lastAnswer && { last_answer: r.lastAnswer }),
    })),
    events: events.map((e) => ({ type: e.type, at: e.at, recipient: e.recipient, attempt: e.attempt, detail: publicDetail(e.detail) })),
  };
}
