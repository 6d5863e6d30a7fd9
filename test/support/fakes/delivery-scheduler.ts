/** One-time schedules in memory. */
import type { DeliveryJob } from '../../../lib/domain/delivery-job.ts';
import type { DeliveryScheduler } from '../../../lib/ports/delivery-scheduler.ts';

/** A {@link DeliveryScheduler} that keeps its schedules where a test can read them; `failing` makes `schedule` throw. */
export class MemoryDeliveryScheduler implements DeliveryScheduler {
  /** The schedules that have not been canceled, by name. */
  readonly schedules = new Map<string, { at: number; job: DeliveryJob }>();
  /** Every name `cancel` was called with, in order. */
  readonly canceled: string[] = [];
  failing = false;

  async schedule(name: string, at: number, job: DeliveryJob): Promise<void> {
    if (this.failing) throw new Error('scheduler unavailable');
    // As the port says: an existing schedule of the name stays as it is.
    if (!this.schedules.has(name)) this.schedules.set(name, { at, job: structuredClone(job) });
  }

  async cancel(name: string): Promise<void> {
    this.canceled.push(name);
    this.schedules.delete(name);
  }
}
