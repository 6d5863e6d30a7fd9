/**
 * Delivers notifications to HTTP subscribers (local mode's stand-in for SNS HTTPS
 * subscriptions): each event document is POSTed as JSON to every subscriber whose filter
 * policy its attributes pass, with a few retries.
 */
import { matchesFilterPolicy, type AttributeValues, type FilterPolicy } from '../../domain/filter-policy.ts';
import type { MailEvent } from '../../domain/events.ts';
import type { TenantNotice } from '../../domain/tenant-notice.ts';
import type { Log } from '../../ports/logger.ts';
import type { Notifier } from '../../ports/notifier.ts';
import { toNoticeNotification, toNotification, type NotificationAttributes } from '../sns/notification.ts';

export interface Subscriber {
  url: string;
  filterPolicy?: FilterPolicy;
}

export interface WebhookNotifierOptions {
  /** Tries per delivery; 3 by default. */
  attempts?: number;
  /** First pause between tries, doubled each time; 200 ms by default. */
  backoffMs?: number;
  /** Per request; 5 s by default. */
  timeoutMs?: number;
}

/** Attribute values as a filter policy sees them. */
export function attributeValues(attributes: NotificationAttributes): AttributeValues {
  const values: AttributeValues = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    if (!attribute) continue;
    values[name] = attribute.DataType === 'String.Array' ? (JSON.parse(attribute.StringValue) as string[]) : attribute.StringValue;
  }
  return values;
}

export class WebhookNotifier implements Notifier {
  constructor(
    private readonly subscribers: Subscriber[],
    private readonly log: Log,
    private readonly options: WebhookNotifierOptions = {},
  ) {}

  async publish(events: MailEvent[]): Promise<void> {
    const deliveries: Promise<void>[] = [];
    for (const event of events) {
      const { message, attributes } = toNotification(event);
      const values = attributeValues(attributes);
      for (const subscriber of this.subscribers) {
        if (subscriber.filterPolicy && !matchesFilterPolicy(subscriber.filterPolicy, values)) continue;
        deliveries.push(this.post(subscriber.url, message, event));
      }
    }
    await Promise.all(deliveries);
  }

  /** Posts a tenant notice to every subscriber whose filter policy it passes. */
  async publishNotice(notice: TenantNotice): Promise<void> {
    const { message, attributes } = toNoticeNotification(notice);
    const values = attributeValues(attributes);
    const matching = this.subscribers.filter((s) => !s.filterPolicy || matchesFilterPolicy(s.filterPolicy, values));
    await Promise.all(matching.map((s) => this.post(s.url, message, { type: notice.type, tenant: notice.tenant, id: notice.id })));
  }

  // A subscriber that stays down loses the event after the retries, as with SNS's HTTP
  // retry policy running out; delivery of the others and the stream go on.
  private async post(url: string, body: string, event: { type: string; tenant: string; messageId?: string; id?: string }): Promise<void> {
    const attempts = this.options.attempts ?? 3;
    let pause = this.options.backoffMs ?? 200;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-mailroom-event-type': event.type, 'x-mailroom-tenant': event.tenant },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
        });
        await response.arrayBuffer();
        if (response.ok) return;
        if (response.status < 500 && response.status !== 429) break;
      } catch {
        // connection refused, timeout: retried below
      }
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, pause));
      pause *= 2;
    }
    const ref = event.messageId ? { messageId: event.messageId } : { id: event.id };
    this.log.warn('subscriber did not take a notification', { url: new URL(url).origin, eventType: event.type, ...ref });
  }
}

/** Publishes to several notifiers. */
export class FanoutNotifier implements Notifier {
  constructor(private readonly notifiers: Notifier[]) {}

  async publish(events: MailEvent[]): Promise<void> {
    await Promise.all(this.notifiers.map((n) => n.publish(events)));
  }

  async publishNotice(notice: TenantNotice): Promise<void> {
    await Promise.all(this.notifiers.map((n) => n.publishNotice(notice)));
  }
}
