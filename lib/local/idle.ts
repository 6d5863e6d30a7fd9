/**
 * When local mode has nothing left to do: every polled queue empty and the events stream read
 * to its end, with no poller taking work in between. What `LocalRuntime.idle()` waits for.
 */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SqsPoller } from './sqs-poller.ts';
import type { StreamPoller } from './stream-poller.ts';

const DEPTHS = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;

/** What a queue holds: visible messages, messages in flight (received, not yet deleted) and delayed ones. */
export async function queueDepth(client: SQSClient, queueUrl: string): Promise<Record<(typeof DEPTHS)[number], number>> {
  const { Attributes = {} } = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...DEPTHS] }));
  return Object.fromEntries(DEPTHS.map((name) => [name, Number(Attributes[name] ?? '0')])) as Record<(typeof DEPTHS)[number], number>;
}

/** Rejects with the signal's reason when it aborts before `promise` settles. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Resolves once the queues of `pollers` are empty and each of `streams` has read its table's
 * stream to the end, with no poller receiving a batch meanwhile. A message in flight stays in its queue
 * until its handler has finished and deleted it, and a retry waits in the queue as a delayed
 * or invisible message, so an empty queue means its work is done, not merely taken.
 */
export async function waitUntilIdle(client: SQSClient, pollers: SqsPoller[], streams: StreamPoller[], signal?: AbortSignal): Promise<void> {
  const received = () => pollers.reduce((sum, poller) => sum + poller.batches, 0);
  const empty = async () => {
    const depths = await Promise.all(pollers.map((poller) => abortable(queueDepth(client, poller.queueUrl), signal)));
    return depths.every((depth) => Object.values(depth).every((count) => count === 0));
  };
  for (;;) {
    signal?.throwIfAborted();
    const before = received();
    if (await empty()) {
      // What the handlers wrote reaches the stream; its consumer may queue work again.
      await abortable(Promise.all(streams.map((stream) => stream.caughtUp())), signal);
      if (received() === before && (await empty())) return;
    } else {
      await abortable(new Promise((resolve) => setTimeout(resolve, 50)), signal);
    }
  }
}
