/** Publishes delivery events to the notification topic with SNS PublishBatch. */
import { PublishBatchCommand, type PublishBatchRequestEntry, type SNSClient } from '@aws-sdk/client-sns';
import type { MailEvent } from '../../domain/events.ts';
import type { TenantNotice } from '../../domain/tenant-notice.ts';
import type { Notifier } from '../../ports/notifier.ts';
import { sendBatchWithRetries } from '../aws/batch-retry.ts';
import { toNoticeNotification, toNotification, type StringAttribute } from './notification.ts';

/** Some events could not be published after retries. */
export class PublishError extends Error {
  constructor(
    message: string,
    /** Failures as SNS reported them (`Code: Message`), one per event not published. */
    readonly failures: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PublishError';
  }
}

/** Options of {@link SnsNotifier}. */
export interface SnsNotifierOptions {
  /** Publish attempts for entries SNS failed (default 3). */
  attempts?: number;
  /** First pause between attempts in ms, doubled each time (default 100). */
  backoffMs?: number;
}

/** SNS takes at most 10 entries per PublishBatch. */
const BATCH_SIZE = 10;

/**
 * {@link Notifier} on SNS. Each event becomes one message: the JSON document of
 * {@link toNotification}, with `tenant`, `type`, `tags`, `list` and `campaign` attributes for subscription filters.
 */
export class SnsNotifier implements Notifier {
  readonly #client: SNSClient;
  readonly #topicArn: string;
  readonly #attempts: number;
  readonly #backoffMs: number;

  constructor(client: SNSClient, topicArn: string, options: SnsNotifierOptions = {}) {
    this.#client = client;
    this.#topicArn = topicArn;
    this.#attempts = options.attempts ?? 3;
    this.#backoffMs = options.backoffMs ?? 100;
  }

  /**
   * Publishes in batches of 10, retrying the entries SNS failed.
   *
   * @throws PublishError when entries still fail after the retries (at once for a sender
   *   fault). Earlier batches stay published; subscribers drop repeats by the event `id`.
   */
  async publish(events: MailEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += BATCH_SIZE) {
      const entries = events.slice(start, start + BATCH_SIZE).map((event, index): PublishBatchRequestEntry => {
        const { message, attributes } = toNotification(event);
        return { Id: String(index), Message: message, MessageAttributes: { ...attributes } as Record<string, StringAttribute> };
      });
      await this.#publishBatch(entries);
    }
  }

  /** Publishes one tenant notice, with the same retries. @throws PublishError */
  async publishNotice(notice: TenantNotice): Promise<void> {
    const { message, attributes } = toNoticeNotification(notice);
    await this.#publishBatch([{ Id: '0', Message: message, MessageAttributes: { ...attributes } as Record<string, StringAttribute> }]);
  }

  #publishBatch(entries: PublishBatchRequestEntry[]): Promise<void> {
    return sendBatchWithRetries(
      entries,
      async (pending) =>
        (await this.#client.send(new PublishBatchCommand({ TopicArn: this.#topicArn, PublishBatchRequestEntries: pending }))).Failed,
      {
        attempts: this.#attempts,
        backoffMs: this.#backoffMs,
        words: { service: 'SNS', noun: 'event(s)', verb: 'publish' },
        fail: (message, failures, cause) => new PublishError(message, failures, cause === undefined ? undefined : { cause }),
      },
    );
  }
}
