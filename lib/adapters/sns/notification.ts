/**
 * The document published to subscribers for each event. Its field names are snake_case and
 * versioned (EVENT_SCHEMA_VERSION): it is a public contract, so it is mapped field by field
 * rather than derived from the internal event shape.
 */
import { publicDetail, type NotificationDetail } from '../../domain/event-document.ts';
import { EVENT_SCHEMA_VERSION, type EventType, type MailEvent } from '../../domain/events.ts';

export type { NotificationAnswer, NotificationDetail } from '../../domain/event-document.ts';

/** The event document subscribers receive (the SNS message body). */
export interface NotificationDocument {
  version: number;
  /** The event id; deterministic, so subscribers can drop duplicates. */
  id: string;
  type: EventType;
  message_id: string;
  tenant: string;
  recipient: string;
  at: string;
  attempt: number;
  tags: Record<string, string>;
  detail: NotificationDetail;
}

/** A String message attribute, the form SNS subscription filter policies match on. */
export interface StringAttribute {
  DataType: 'String';
  StringValue: string;
}

/** One notification: the document, its JSON text, and the attributes to filter on. */
export interface Notification {
  document: NotificationDocument;
  /** `JSON.stringify(document)`, the message body. */
  message: string;
  attributes: { tenant: StringAttribute; type: StringAttribute };
}

/** The notification of one event: the versioned snake_case document and its attributes. */
export function toNotification(event: MailEvent): Notification {
  const document: NotificationDocument = {
    version: EVENT_SCHEMA_VERSION,
    id: event.eventId,
    type: event.type,
    message_id: event.messageId,
    tenant: event.tenant,
    recipient: event.recipient,
    at: event.at,
    attempt: event.attempt,
    tags: { ...event.tags },
    detail: publicDetail(event.detail),
  };
  return {
    document,
    message: JSON.stringify(document),
    attributes: {
      tenant: { DataType: 'String', StringValue: event.tenant },
      type: { DataType: 'String', StringValue: event.type },
    },
  };
}
