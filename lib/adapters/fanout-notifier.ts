/** A Notifier that publishes to several: the topic and the webhooks, in the stream and webhook functions. */
import type { MailEvent } from '../domain/events.ts';
import type { TenantNotice } from '../domain/tenant-notice.ts';
import type { Notifier } from '../ports/notifier.ts';

/** Publishes to every notifier at once; fails when any fails (the caller retries: subscribers drop repeats by id). */
export class FanoutNotifier implements Notifier {
  constructor(private readonly notifiers: readonly Notifier[]) {}

  async publish(events: MailEvent[]): Promise<void> {
    await Promise.all(this.notifiers.map((n) => n.publish(events)));
  }

  async publishNotice(notice: TenantNotice): Promise<void> {
    await Promise.all(this.notifiers.map((n) => n.publishNotice(notice)));
  }
}
