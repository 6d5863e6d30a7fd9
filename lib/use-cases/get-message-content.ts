/**
 * `GET /v1/messages/{id}/content`: what a message says, as its sender gave it (the html before
 * tracking rewrote its links), for reading and previewing. Nothing here is logged.
 */
import { ConflictError, GoneError, NotFoundError } from '../domain/errors.ts';
import type { MessageStore } from '../ports/message-store.ts';
import { isMessageId } from './get-message.ts';

export interface GetMessageContentDeps {
  messages: MessageStore;
}

/** A message's content as the API answers it. */
export interface MessageContentView {
  id: string;
  subject: string;
  text?: string;
  html?: string;
  headers: Record<string, string>;
  attachments: { filename: string; content_type: string; size: number }[];
}

/**
 * The content of a tenant's message. Another tenant's message is "not found", as reading it
 * is. 410 `content_expired` once the bodies are gone (the message item may outlive its body
 * item for a while: DynamoDB's TTL removes them one by one); 409 `content_not_stored` for a
 * message submitted over SMTP, whose bytes are kept for delivery only.
 */
export async function getMessageContent(deps: GetMessageContentDeps, tenant: string, id: string): Promise<MessageContentView> {
  const found = isMessageId(id) ? await deps.messages.getContent(id) : undefined;
  if (!found || found.message.tenant !== tenant) throw new NotFoundError('Message');
  const { message, bodyKept } = found;
  if (message.raw) {
    throw new ConflictError(
      'content_not_stored',
      'This message was submitted over SMTP: mailroom keeps its bytes only to relay them, and does not show them.',
    );
  }
  if (!bodyKept) throw new GoneError('content_expired', 'This message’s content is no longer kept: its retention period has ended.');
  const { content } = message;
  const html = content.sourceHtml ?? content.html;
  return {
    id: message.id,
    subject: content.subject,
    ...(content.text !== undefined && { text: content.text }),
    ...(html !== undefined && { html }),
    headers: content.headers,
    attachments: (content.attachments ?? []).map((a) => ({ filename: a.filename, content_type: a.contentType, size: a.size })),
  };
}
