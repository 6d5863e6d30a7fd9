import type { DeliveryJob } from '../domain/delivery-job.ts';

/** The queue that feeds delivery. */
export interface SendQueue {
  /** Enqueues jobs (batched as the queue allows), each visible after `delaySeconds` (at most 900). */
  enqueue(jobs: DeliveryJob[], delaySeconds?: number): Promise<void>;
  /** Moves a job that can never succeed to the dead-letter queue, with the reason. */
  deadLetter(job: DeliveryJob | string, reason: string): Promise<void>;
}
