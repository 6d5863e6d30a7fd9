/**
 * What SNS publishes for each event and tenant notice: the document (lib/domain/notification-document.ts)
 * as the message body, with the attributes that subscription filter policies match on.
 */
import type { MailEvent } from '../../domain/events.ts';
import {
  noticeDocument,
  notificationDocument,
  type NotificationDocument,
  type TenantNoticeDocument,
} from '../../domain/notification-document.ts';
import type { TenantNotice } from '../../domain/tenant-notice.ts';

export type { NotificationAnswer, NotificationDetail } from '../../domain/event-document.ts';
export type { NotificationDocument, TenantNoticeDocument } from '../../domain/notification-document.ts';

/** A message attribute, the form SNS subscription filter policies match on. */
export interface StringAttribute {
  /** `String.Array` holds a JSON array of strings; a filter matches when any element does. */
  DataType: 'String' | 'String.Array';
  StringValue: string;
}

/** The attributes a notification carries (SNS allows at most 10). */
export interface NotificationAttributes {
  tenant: StringAttribute;
  type: StringAttribute;
  /** Every tag as `name=value`. */
  tags?: StringAttribute;
  list?: StringAttribute;
  campaign?: StringAttribute;
}

/** One notification: the document, its JSON text, and the attributes to filter on. */
export interface Notification {
  document: NotificationDocument;
  /** `JSON.stringify(document)`, the message body. */
  message: string;
  attributes: NotificationAttributes;
}

/** The notification of one event: the versioned snake_case document and its attributes. */
export function toNotification(event: MailEvent): Notification {
  const document = notificationDocument(event);
  const tags = Object.entries(event.tags).map(([name, value]) => `${name}=${value}`);
  return {
    document,
    message: JSON.stringify(document),
    attributes: {
      tenant: { DataType: 'String', StringValue: event.tenant },
      type: { DataType: 'String', StringValue: event.type },
      ...(tags.length && { tags: { DataType: 'String.Array', StringValue: JSON.stringify(tags) } }),
      ...(event.list && { list: { DataType: 'String', StringValue: event.list } }),
      ...(event.campaign && { campaign: { DataType: 'String', StringValue: event.campaign } }),
    },
  };
}

/** The notification of a tenant notice: its document, JSON text and filter attributes. */
export function toNoticeNotification(notice: TenantNotice): {
  document: TenantNoticeDocument;
  message: string;
  attributes: NotificationAttributes;
} {
  const document = noticeDocument(notice);
  return {
    document,
    message: JSON.stringify(document),
    attributes: { tenant: { DataType: 'String', StringValue: notice.tenant }, type: { DataType: 'String', StringValue: notice.type } },
  };
}
