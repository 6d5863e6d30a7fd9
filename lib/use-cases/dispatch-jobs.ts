/**
 * Handing the first delivery jobs of accepted messages over (accept-message.ts, persist): a
 * job due now goes on the queue at once; one due within the queue's longest delay (15
 * minutes) goes on it hidden until then, which costs nothing more; one due later gets a
 * one-time schedule that puts it on the queue at its time. Either way the job carries its time
 * (`notBefore`), so delivery never runs it early, whoever hands it out.
 */
import type { DeliveryJob } from '../domain/delivery-job.ts';
import { planDelivery } from '../domain/schedule.ts';
import type { Clock } from '../ports/clock.ts';
import type { DeliveryScheduler } from '../ports/delivery-scheduler.ts';
import type { SendQueue } from '../ports/send-queue.ts';
import { SQS_MAX_DELAY_SECONDS } from '../topology.ts';

export interface DispatchDeps {
  queue: SendQueue;
  /**
   * One-time schedules for jobs due beyond the queue's delay. Without one (a wiring that has
   * none), such a job waits on the queue in steps of its longest delay, which delivery takes
   * again until the time comes.
   */
  scheduler?: DeliveryScheduler;
  clock: Clock;
}

/**
 * Hands `jobs` over as their `notBefore` says, all at once. Resolves when every one of them is
 * on the queue or scheduled; otherwise throws the first failure, once the others settled
 * (what was handed over stays: a job or schedule whose message is never stored is harmless).
 */
export async function dispatchJobs(deps: DispatchDeps, jobs: DeliveryJob[]): Promise<void> {
  const now = deps.clock.now().getTime();
  const due: DeliveryJob[] = [];
  const delayed = new Map<number, DeliveryJob[]>();
  const later: { at: number; job: DeliveryJob }[] = [];
  for (const job of jobs) {
    const plan = planDelivery(job.notBefore, now, SQS_MAX_DELAY_SECONDS);
    if (plan.kind === 'now') due.push(job);
    else if (plan.kind === 'delay') delayed.set(plan.delaySeconds, [...(delayed.get(plan.delaySeconds) ?? []), job]);
    else later.push({ at: plan.at, job });
  }
  const { scheduler } = deps;
  const handovers: Promise<void>[] = [
    ...(due.length ? [deps.queue.enqueue(due)] : []),
    ...[...delayed].map(([delaySeconds, group]) => deps.queue.enqueue(group, delaySeconds)),
    // The schedule's name is the message's id: a retry of the request finds it made already.
    ...later.map(({ at, job }) =>
      scheduler ? scheduler.schedule(job.messageId, at, job) : deps.queue.enqueue([job], SQS_MAX_DELAY_SECONDS),
    ),
  ];
  const failed = (await Promise.allSettled(handovers)).find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}
