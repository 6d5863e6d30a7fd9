/**
 * The notifier of local mode: no topic, a log line per event and the latest notifications
 * kept in memory for the local mailbox page.
 */
import { domainOf } from '../../domain/address.ts';
import type { MailEvent } from '../../domain/events.ts';
import type { TenantNotice } from '../../domain/reputation.ts';
import type { Log } from '../../ports/logger.ts';
import type { Notifier } from '../../ports/notifier.ts';
import { toNoticeNotification, toNotification, type NotificationDocument, type TenantNoticeDocument } from './notification.ts';

/** Options of {@link LogNotifier}. */
export interface LogNotifierOptions {
  /** Notifications kept for {@link LogNotifier.recent} (default 100). */
  keep?: number;
}

/**
 * {@link Notifier} that logs `type`, message id and the recipient's domain — never the full
 * address — and remembers the last `keep` documents exactly as SNS subscribers would get them.
 */
export class LogNotifier implements Notifier {
  readonly #log: Log;
  readonly #keep: number;
  readonly #recent: NotificationDocument[] = [];
  readonly #notices: TenantNoticeDocument[] = [];

  constructor(log: Log, options: LogNotifierOptions = {}) {
    this.#log = log;
    this.#keep = Math.max(0, options.keep ?? 100);
  }

  async publish(events: MailEvent[]): Promise<void> {
    for (const event of events) {
      const { document } = toNotification(event);
      this.#log.info('delivery notification', {
        type: document.type,
        messageId: document.message_id,
        recipientDomain: domainOf(document.recipient),
      });
      this.#recent.push(document);
    }
    if (this.#recent.length > this.#keep) this.#recent.splice(0, this.#recent.length - this.#keep);
  }

  /** Logs a tenant notice (its reason names rates, never addresses) and keeps its document. */
  async publishNotice(notice: TenantNotice): Promise<void> {
    const { document } = toNoticeNotification(notice);
    this.#log.warn('tenant notification', { type: document.type, tenant: document.tenant, reason: document.detail.reason });
    this.#notices.push(document);
    if (this.#notices.length > this.#keep) this.#notices.splice(0, this.#notices.length - this.#keep);
  }

  /** The kept tenant notices (`sending_paused`), newest first. */
  notices(): TenantNoticeDocument[] {
    return this.#notices.map((document) => structuredClone(document)).reverse();
  }

  /** The kept notifications, newest first (copies: the page cannot alter them). */
  recent(): NotificationDocument[] {
    return this.#recent.map((document) => structuredClone(document)).reverse();
  }
}
