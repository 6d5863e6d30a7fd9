/**
 * The DeliveryScheduler of the API function: EventBridge Scheduler in AWS (the stack sets
 * MAILROOM_SCHEDULE_GROUP and MAILROOM_SCHEDULER_ROLE_ARN), or the one the caller passes (local
 * mode's folder of schedules). Without either, messages due later wait on the send queue in
 * steps of its longest delay (dispatch-jobs.ts). The adapter and its client are loaded with the
 * first message due later (lazy-port.ts).
 */
import { required } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import type { DeliveryScheduler } from '../ports/delivery-scheduler.ts';
import type { WiringOverrides } from './common.ts';
import { lazyPort } from './lazy-port.ts';
import { traced } from './telemetry.ts';

/** The scheduler, if there is one. Throws ConfigError for a group without its role. */
export function deliveryScheduler(env: Env, overrides: WiringOverrides): DeliveryScheduler | undefined {
  if (overrides.scheduler) return overrides.scheduler;
  const groupName = env[ENV.scheduleGroup]?.trim();
  if (!groupName) return undefined;
  const options = { groupName, roleArn: required(env, ENV.schedulerRoleArn), queueUrl: required(env, ENV.sendQueueUrl) };
  return lazyPort(
    async () => {
      const { EventBridgeDeliveryScheduler, schedulerClient } = await import('../adapters/scheduler/eventbridge-delivery-scheduler.ts');
      return new EventBridgeDeliveryScheduler(traced(schedulerClient()), options);
    },
    { schedule: true, cancel: true },
  );
}
