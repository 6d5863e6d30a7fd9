import type { DeliveryJob } from '../domain/delivery-job.ts';

/**
 * One-time schedules, each putting a delivery job on the send queue at its time: how a
 * message due further ahead than the queue's own delay waits (EventBridge Scheduler in AWS,
 * a folder of schedules in local mode).
 */
export interface DeliveryScheduler {
  /**
   * Makes the schedule `name` put `job` on the send queue once, at `at` (epoch ms) or up to a
   * minute later. A schedule of that name that exists already (an earlier try of the same
   * request made it) is kept as it is, without an error.
   */
  schedule(name: string, at: number, job: DeliveryJob): Promise<void>;
  /** Removes the schedule `name` before it fires; nothing happens when there is none. */
  cancel(name: string): Promise<void>;
}
