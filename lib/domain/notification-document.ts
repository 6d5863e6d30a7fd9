/**
 * The documents subscribers receive: one per event, and one per notice about a tenant. Their
 * field names are snake_case and versioned (EVENT_SCHEMA_VERSION): they are a public contract,
 * the SNS message body and the body of every webhook, so they are mapped field by field rather
 * than derived from the internal shapes.
 */
import { publicDetail, type NotificationDetail } from './event-document.ts';
import { EVENT_SCHEMA_VERSION, type EventType, type MailEvent } from './events.ts';
import type { TenantNotice } from './tenant-notice.ts';

/** The event document subscribers receive. */
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

/** The document of a `sending_paused` notice: the breaker paused the tenant's sending. */
export interface SendingPausedDocument {
  version: number;
  /** Deterministic, so subscribers can drop duplicates. */
  id: string;
  type: 'sending_paused';
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

/** The document of a `webhook.disabled` notice: mailroom disabled one of the tenant's webhook endpoints. */
export interface WebhookDisabledDocument {
  version: number;
  /** Deterministic, so subscribers can drop duplicates. */
  id: string;
  type: 'webhook.disabled';
  tenant: string;
  at: string;
  detail: {
    webhook_id: string;
    url: string;
    /** `gone`: the endpoint answered 410; `failing`: every delivery failed for days. */
    reason: 'gone' | 'failing';
    explanation: string;
    /** Since when every delivery failed (`failing`). */
    failing_since?: string;
  };
}

/** The document of a notice about a tenant (same topic, same `tenant` and `type` attributes as events). */
export type TenantNoticeDocument = SendingPausedDocument | WebhookDisabledDocument;

/** The document of one event. */
export function notificationDocument(event: MailEvent): NotificationDocument {
  return {
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
}

const round = (rate: number | null) => (rate === null ? null : Math.round(rate * 1e6) / 1e6);

/** The document of a tenant notice. */
export function noticeDocument(notice: TenantNotice): TenantNoticeDocument {
  const head = { version: EVENT_SCHEMA_VERSION, id: notice.id, tenant: notice.tenant, at: notice.at };
  if (notice.type === 'webhook.disabled') {
    return {
      ...head,
      type: notice.type,
      detail: {
        webhook_id: notice.webhookId,
        url: notice.url,
        reason: notice.reason,
        explanation: notice.explanation,
        ...(notice.failingSince && { failing_since: notice.failingSince }),
      },
    };
  }
  return {
    ...head,
    type: notice.type,
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
}
