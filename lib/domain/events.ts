/**
 * The event model: what became of a message, per recipient. Events are append-only and
 * carry a deterministic id so that recording one twice changes nothing.
 */
import { domainOf } from './address.ts';
import type { BounceCategory } from './bounce-classification.ts';
import type { RelayAnswer } from './message.ts';

export const EVENT_TYPES = [
  'queued',
  'scheduled',
  'rejected',
  'canceled',
  'sent',
  'deferred',
  'delivered',
  'bounced',
  'complained',
  'failed',
  'opened',
  'clicked',
  'converted',
  'unsubscribed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Version of the event document published to subscribers. */
export const EVENT_SCHEMA_VERSION = 1;

/** One event of one message for one recipient. */
export interface MailEvent {
  /** Deterministic: `<messageId>/<type>/<recipient>/<attempt>`. */
  eventId: string;
  messageId: string;
  tenant: string;
  /** Normalised recipient address. */
  recipient: string;
  type: EventType;
  /** ISO-8601 time. */
  at: string;
  /** Delivery attempt this event belongs to (0 for events at acceptance). */
  attempt: number;
  tags: Record<string, string>;
  /** Domain of the sender (`from`), a reporting dimension. */
  fromDomain?: string;
  /** Mailing list and campaign the message belongs to, when it does. */
  list?: string;
  campaign?: string;
  detail: EventDetail;
}

/** What an event knows beyond its type. */
export interface EventDetail {
  /** Relay used: `smtp`, `ses` or `capture`. */
  relay?: string;
  answer?: RelayAnswer;
  /** For bounces: hard (permanent) or soft (gave up on a temporary failure). */
  bounceType?: 'hard' | 'soft';
  /** Short reason in words, e.g. `suppressed`, `retry deadline passed`. */
  reason?: string;
  /** When a deferral will be retried (ISO). */
  retryAt?: string;
  /** For `scheduled`: when the message is to be sent (ISO). */
  sendAt?: string;
  /** For bounces and deferrals: what kind of failure, in words people understand. */
  category?: BounceCategory;
  /** One line explaining the failure. */
  explanation?: string;
  /** The relay's own diagnostic (SMTP reply or SES diagnostic code), kept as given. */
  diagnostic?: string;
  /** Amazon SES's message id, when SES relayed the message. */
  sesMessageId?: string;
  /** For opens and clicks: the link, the user agent and the address it came from. */
  link?: string;
  userAgent?: string;
  ipAddress?: string;
  /** For complaints: the feedback type the mailbox provider reported (`abuse`, `fraud`, `virus`…). */
  complaintFeedbackType?: string;
  /** For SES delivery delays: when SES stops retrying and bounces the message (ISO). */
  expirationTime?: string;
  /**
   * For opens and clicks that a machine made rather than the recipient: a privacy proxy
   * that fetches every image (Apple Mail Privacy Protection) or a security scanner.
   */
  machine?: 'privacy_proxy' | 'scanner';
  /** For conversions: the value reported and its ISO 4217 currency, and the caller's id of the conversion. */
  value?: number;
  currency?: string;
  conversionId?: string;
  /** For unsubscribes: what the person left, `list` or all of the tenant's `marketing` mail. */
  scope?: 'list' | 'marketing';
}

/** The fields every event of a message shares. */
export type MessageEventBase = Pick<MailEvent, 'messageId' | 'tenant' | 'tags' | 'fromDomain' | 'list' | 'campaign'>;

/** The shared fields of an event of `message` (its id, tenant, tags, sender domain, list and campaign). */
export function eventBaseOf(message: {
  id: string;
  tenant: string;
  tags: Record<string, string>;
  envelopeFrom: string;
  list?: string;
  campaign?: string;
}): MessageEventBase {
  return {
    messageId: message.id,
    tenant: message.tenant,
    tags: message.tags,
    fromDomain: domainOf(message.envelopeFrom),
    ...(message.list && { list: message.list }),
    ...(message.campaign && { campaign: message.campaign }),
  };
}

/** Builds an event with its deterministic id. */
export function makeEvent(input: Omit<MailEvent, 'eventId'>): MailEvent {
  return { eventId: `${input.messageId}/${input.type}/${input.recipient}/${input.attempt}`, ...input };
}

/** Orders events by time, then by a stable lifecycle order for equal times. */
export function sortEvents(events: MailEvent[]): MailEvent[] {
  const rank = (type: EventType) => EVENT_TYPES.indexOf(type);
  return [...events].sort((a, b) => a.at.localeCompare(b.at) || a.attempt - b.attempt || rank(a.type) - rank(b.type));
}
