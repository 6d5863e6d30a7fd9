import type { MailEvent } from '../domain/events.ts';
import type { TenantNotice } from '../domain/tenant-notice.ts';

/** Publishes delivery events to subscribers (SNS in AWS). */
export interface Notifier {
  publish(events: MailEvent[]): Promise<void>;
  /** Publishes a notice about a tenant (its sending paused) on the same topic. */
  publishNotice(notice: TenantNotice): Promise<void>;
}
