import type { MailEvent } from '../domain/events.ts';

/** Publishes delivery events to subscribers (SNS in AWS). */
export interface Notifier {
  publish(events: MailEvent[]): Promise<void>;
}
