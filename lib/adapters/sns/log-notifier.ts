/**
 * The notifier of local mode: no topic, a log line per event and the latest notifications
 * kept for the local notifications feed, in memory and, given a history, across restarts.
 */
import { domainOf } from '../../domain/address.ts';
import type { MailEvent } from '../../domain/events.ts';
import type { TenantNotice } from '../../domain/tenant-notice.ts';
import type { Log } from '../../ports/logger.ts';
import type { Notifier } from '../../ports/notifier.ts';
import { toNoticeNotification, toNotification, type NotificationDocument, type TenantNoticeDocument } from './notification.ts';

/** One kept document. */
export type HistoryEntry = { notification: NotificationDocument } | { notice: TenantNoticeDocument };

/** Where {@link LogNotifier} keeps its documents across restarts (local mode: a file in the data folder). */
export interface NotificationHistory {
  /** What was kept last time, oldest first. */
  load(): HistoryEntry[];
  /** Adds new documents; `kept` gives everything kept now, should the history compact itself. */
  record(entries: HistoryEntry[], kept: () => HistoryEntry[]): void;
  /** Replaces the history with `kept`. */
  rewrite(kept: HistoryEntry[]): void;
}

/** Options of {@link LogNotifier}. */
export interface LogNotifierOptions {
  /** Notifications kept for {@link LogNotifier.recent} (default 100), and as many notices. */
  keep?: number;
  /** Read at construction and written as documents come: the kept documents outlive the process. */
  history?: NotificationHistory;
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
  readonly #history: NotificationHistory | undefined;

  constructor(log: Log, options: LogNotifierOptions = {}) {
    this.#log = log;
    this.#keep = Math.max(0, options.keep ?? 100);
    this.#history = options.history;
    if (this.#history) {
      for (const entry of this.#history.load()) {
        if ('notice' in entry) this.#notices.push(entry.notice);
        else this.#recent.push(entry.notification);
      }
      this.#trim();
      this.#history.rewrite(this.#kept());
    }
  }

  #trim(): void {
    for (const list of [this.#recent, this.#notices]) if (list.length > this.#keep) list.splice(0, list.length - this.#keep);
  }

  #kept(): HistoryEntry[] {
    return [...this.#notices.map((notice) => ({ notice })), ...this.#recent.map((notification) => ({ notification }))];
  }

  /** Saves new documents; a failure to write costs the history only, never the notification. */
  #record(entries: HistoryEntry[]): void {
    try {
      this.#history?.record(entries, () => this.#kept());
    } catch (error) {
      this.#log.warn('notification history not saved', { error: String(error) });
    }
  }

  async publish(events: MailEvent[]): Promise<void> {
    const entries: HistoryEntry[] = [];
    for (const event of events) {
      const { document } = toNotification(event);
      this.#log.info('delivery notification', {
        type: document.type,
        messageId: document.message_id,
        recipientDomain: domainOf(document.recipient),
      });
      this.#recent.push(document);
      entries.push({ notification: document });
    }
    this.#trim();
    this.#record(entries);
  }

  /** Logs a tenant notice (its reason names rates, never addresses) and keeps its document. */
  async publishNotice(notice: TenantNotice): Promise<void> {
    const { document } = toNoticeNotification(notice);
    this.#log.warn('tenant notification', { type: document.type, tenant: document.tenant, reason: document.detail.reason });
    this.#notices.push(document);
    this.#trim();
    this.#record([{ notice: document }]);
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
