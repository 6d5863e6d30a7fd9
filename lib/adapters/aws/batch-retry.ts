/**
 * Sending one batch to a batch API that may accept some entries and fail others (SQS
 * SendMessageBatch, SNS PublishBatch): retry only the failed entries with backoff, and give
 * up at once when the service blames the request itself.
 */

/** An entry the service failed, as SQS and SNS report it. */
export interface BatchEntryFailure {
  Id?: string | undefined;
  Code?: string | undefined;
  Message?: string | undefined;
  SenderFault?: boolean | undefined;
}

export interface BatchRetryOptions {
  /** Send attempts in all (at least 1). */
  attempts: number;
  /** First pause between attempts in ms, doubled each time. */
  backoffMs: number;
  /** The error to throw: for a failed call (`failures` empty, `cause` set) or for entries still failing. */
  fail: (message: string, failures: string[], cause?: unknown) => Error;
  /** Words for messages, e.g. `{ service: 'SQS', noun: 'job(s)', verb: 'enqueue' }`. */
  words: { service: string; noun: string; verb: string };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `entries` with `send` (which returns the failed entries) until all are taken. */
export async function sendBatchWithRetries<E extends { Id?: string | undefined }>(
  entries: E[],
  send: (pending: E[]) => Promise<BatchEntryFailure[] | undefined>,
  options: BatchRetryOptions,
): Promise<void> {
  const { service, noun, verb } = options.words;
  let pending = entries;
  for (let attempt = 1; ; attempt += 1) {
    let failed: BatchEntryFailure[];
    try {
      failed = (await send(pending)) ?? [];
    } catch (error) {
      throw options.fail(`could not ${verb} ${pending.length} ${noun}: ${(error as Error).message}`, [], error);
    }
    if (failed.length === 0) return;
    const failures = failed.map((f) => `${f.Code ?? 'Unknown'}: ${f.Message ?? ''}`.trim());
    // A sender fault (bad body, bad attribute, too large…) fails again on every retry.
    if (failed.some((f) => f.SenderFault) || attempt >= Math.max(1, options.attempts)) {
      throw options.fail(`${service} refused ${failed.length} of ${pending.length} ${noun} after ${attempt} attempt(s)`, failures);
    }
    const failedIds = new Set(failed.map((f) => f.Id));
    pending = pending.filter((entry) => failedIds.has(entry.Id));
    await sleep(options.backoffMs * 2 ** (attempt - 1));
  }
}
