/**
 * DeliveryScheduler on Amazon EventBridge Scheduler: one one-time schedule per message due
 * more than 15 minutes ahead, in mailroom's schedule group. At its time the schedule calls SQS
 * SendMessage (a universal target) with the delivery job, as the API's own enqueue would, and
 * then deletes itself. Scheduler invokes with one-minute precision (within the minute of the
 * time), so it may come some seconds early; the job's `notBefore` keeps delivery from running
 * it before its time.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { DeliveryJob } from '../../domain/delivery-job.ts';
import type { DeliveryScheduler } from '../../ports/delivery-scheduler.ts';

/** Where the schedules live and what they may do. */
export interface EventBridgeDeliverySchedulerOptions {
  /** mailroom's schedule group. */
  groupName: string;
  /** The role the schedules assume: it may send to the send queue, nothing else. */
  roleArn: string;
  /** The (transactional) send queue. */
  queueUrl: string;
}

/**
 * How long, and how often, Scheduler retries a send the queue refused: its most, a day and
 * 185 tries. After that Scheduler drops the invocation (its InvocationDroppedCount metric
 * counts it) and the message stays unsent: the schedules' role may send to the send queue
 * only, so there is no dead-letter queue for them.
 */
const RETRY_POLICY = { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 };

/**
 * A Scheduler client with the SDK's defaults, for the wiring that loads this adapter when first
 * used (it imports this module, not the whole client package).
 */
export function schedulerClient(): SchedulerClient {
  return new SchedulerClient({});
}

/** {@link DeliveryScheduler} on EventBridge Scheduler, with an injected client. */
export class EventBridgeDeliveryScheduler implements DeliveryScheduler {
  readonly #client: SchedulerClient;
  readonly #options: EventBridgeDeliverySchedulerOptions;
  readonly #target: string;

  constructor(client: SchedulerClient, options: EventBridgeDeliverySchedulerOptions) {
    this.#client = client;
    this.#options = options;
    // The universal target of SQS SendMessage, in the role's partition (aws, aws-cn, aws-us-gov).
    this.#target = `arn:${options.roleArn.split(':')[1] ?? 'aws'}:scheduler:::aws-sdk:sqs:sendMessage`;
  }

  /** Creates the schedule; one of that name in the group already (an earlier try of the request) is kept. */
  async schedule(name: string, at: number, job: DeliveryJob): Promise<void> {
    // The schedules' role may send to the transactional queue only, and only API sends are scheduled.
    if (job.lane === 'bulk') throw new Error(`message ${job.messageId} is campaign mail: only transactional mail is scheduled`);
    const request = {
      QueueUrl: this.#options.queueUrl,
      MessageBody: JSON.stringify(job),
      // As SqsSendQueue sends it: the tenant as group id makes the standard queue a fair queue.
      MessageGroupId: job.tenant,
    };
    try {
      await this.#client.send(
        new CreateScheduleCommand({
          Name: name,
          GroupName: this.#options.groupName,
          ScheduleExpression: `at(${atExpression(at)})`,
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Description: `mailroom: delivery of message ${job.messageId}`,
          Target: { Arn: this.#target, RoleArn: this.#options.roleArn, Input: JSON.stringify(request), RetryPolicy: RETRY_POLICY },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
    }
  }

  /** Deletes the schedule; one that is gone already (it fired, or was never made) is no error. */
  async cancel(name: string): Promise<void> {
    try {
      await this.#client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.#options.groupName }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}

/** `yyyy-mm-ddThh:mm:ss` (UTC) of epoch ms `at`, rounded up to the second. */
function atExpression(at: number): string {
  return new Date(Math.ceil(at / 1000) * 1000).toISOString().slice(0, 19);
}
