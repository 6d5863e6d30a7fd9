import type { WebhookJob } from '../domain/webhook-delivery.ts';

/** The queue of webhook tries (SQS in AWS), fair between tenants. */
export interface WebhookQueue {
  /**
   * Enqueues tries, each visible after `delaySeconds` (rounded up, at most the queue's longest
   * delay: a longer wait travels in the job's `notBefore`).
   */
  enqueue(jobs: WebhookJob[], delaySeconds?: number): Promise<void>;
  /** Keeps the message `handle` (a receipt) out of sight for `seconds` (at most 12 hours): a try not due yet. */
  postpone(handle: string, seconds: number): Promise<void>;
}
