/**
 * Tells local mode's pollers that a queue got messages. The SQS emulator answers a long poll
 * only when its wait is over, even when a message arrives meanwhile (SQS answers at once), which
 * would add up to a second between `202` and delivery. Pollers given a QueueSignal receive
 * without waiting and, when the queue is empty, sleep until this process sends to the queue or
 * the fallback interval passes (messages sent by another process, or due after a delay). Each
 * send wakes one sleeping poller, so a busy queue does not set every loop receiving at once.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';

export class QueueSignal {
  readonly #sleepers = new Map<string, (() => void)[]>();

  /** Wakes one poller sleeping on `queueUrl`, if any. */
  notify(queueUrl: string): void {
    this.#sleepers.get(queueUrl)?.shift()?.();
  }

  /** Wakes every poller sleeping on `queueUrl` (a poller stopping). */
  notifyAll(queueUrl: string): void {
    // A copy: each sleeper takes itself out of the list as it wakes.
    const sleepers = [...(this.#sleepers.get(queueUrl) ?? [])];
    this.#sleepers.delete(queueUrl);
    for (const wake of sleepers) wake();
  }

  /** Resolves when `queueUrl` is notified, or after `ms`. */
  sleep(queueUrl: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleepers = this.#sleepers.get(queueUrl) ?? [];
      this.#sleepers.set(queueUrl, sleepers);
      const wake = () => {
        clearTimeout(timer);
        const at = sleepers.indexOf(wake);
        if (at >= 0) sleepers.splice(at, 1);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.push(wake);
    });
  }

  /** Notifies the queue of every SendMessage and SendMessageBatch `client` completes. */
  instrument(client: SQSClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const { commandName } = context;
        if (commandName === 'SendMessageCommand' || commandName === 'SendMessageBatchCommand') {
          const { QueueUrl } = args.input as { QueueUrl?: string };
          if (QueueUrl) this.notify(QueueUrl);
        }
        return result;
      },
      { step: 'initialize', name: 'queueSignal' },
    );
  }
}
