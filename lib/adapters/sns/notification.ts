/**
 * The document published to subscribers for each event. Its field names are snake_case and
 * versioned (EVENT_SCHEMA_VERSION): it is a public contract, so it is mapped field by field
 * rather than derived from the internal event shape.
 */
import { publicDetail, type NotificationDetail } from '../../domain/event-document.ts';
import { EVENT_SCHEMA_VERSION, type EventType, type MailEvent } from '../../domain/events.ts';
import type { TenantNotice } from '../../domain/reputation.ts';

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
  /** Domain of the sender. */
  from_domain?: string;
  list?: string;
  campaign?: string;
  detail: NotificationDetail;
}

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
    ...(event.fromDomain && { from_domain: event.fromDomain }),
    ...(event.list && { list: event.list }),
    ...(event.campaign && { campaign: event.campaign }),
    detail: publicDetail(event.detail),
  };
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

/** The document subscribers receive for a notice about a tenant: `sending_paused` (same topic, same `tenant` and `type` attributes). */
export interface TenantNoticeDocument {
  version: number;
  /** Deterministic, so subscribers can drop duplicates. */
  id: string;
  type: TenantNotice['type'];
  tenant: string;
  at: string;
  detail: {
    reason: string;
    by: 'breaker';
    window_hours: number;
    /** Recipients in the window (the oldest hour prorated, rounded). */
    sent: number;
    bounced_hard: number;
    complained: number;
    bounce_rate: number | null;
    complaint_rate: number | null;
    bounce_rate_threshold: number;
    complaint_rate_threshold: number;
    min_volume: number;
  };
}

/** The notification of a tenant notice: its document, JSON text and filter attributes. */
export function toNoticeNotification(notice: TenantNotice): {
  document: TenantNoticeDocument;
  message: string;
  attributes: NotificationAttributes;
} {
  const round = (rate: number | null) => (rate === null ? null : Math.round(rate * 1e6) / 1e6);
  const document: TenantNoticeDocument = {
    version: EVENT_SCHEMA_VERSION,
    id: notice.id,
    type: notice.type,
    tenant: notice.tenant,
    at: notice.at,
    detail: {
      reason: notice.reason,
      by: notice.by,
      window_hours: notice.policy.windowHours,
      sent: Math.round(notice.figures.sent),
      bounced_hard: Math.round(notice.figures.bouncedHard),
      complained: Math.round(notice.figures.complained),
      bounce_rate: round(notice.rates.bounceRate),
      complaint_rate: round(notice.rates.complaintRate),
      bounce_rate_threshold: notice.policy.bounceRate,
      complaint_rate_threshold: notice.policy.complaintRate,
      min_volume: notice.policy.minVolume,
    },
  };
  return {
    document,
    message: JSON.stringify(document),
    attributes: { tenant: { DataType: 'String', StringValue: notice.tenant }, type: { DataType: 'String', StringValue: notice.type } },
  };
}
