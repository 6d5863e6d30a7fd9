/** The send queue in memory. */
import type { DeliveryJob } from '../../../lib/domain/delivery-job.ts';
import type { SendQueue } from '../../../lib/ports/send-queue.ts';

/** A {@link SendQueue} that records what it is given; `failing` makes enqueue throw. */
export class MemorySendQueue implements SendQueue {
  /** Each job enqueued, with the delay it was given. */
  readonly enqueued: { job: DeliveryJob; delaySeconds?: number }[] = [];
  readonly deadLettered: { job: DeliveryJob | string; reason: string }[] = [];
  failing = false;

  async enqueue(jobs: DeliveryJob[], delaySeconds?: number): Promise<void> {
    if (this.failing) throw new Error('queue unavailable');
    for (const job of jobs) this.enqueued.push({ job, ...(delaySeconds !== undefined && { delaySeconds }) });
  }

  async deadLetter(job: DeliveryJob | string, reason: string): Promise<void> {
    this.deadLettered.push({ job, reason });
  }

  /** The jobs enqueued, in order. */
  get jobs(): DeliveryJob[] {
    return this.enqueued.map((e) => e.job);
  }
}
