/**
 * The EventBridge Scheduler adapter: the CreateSchedule and DeleteSchedule requests it makes,
 * and how it reads the service's refusals. EventBridge Scheduler has no emulator here, so the
 * one thing mocked is that control-plane call (the client's `send`); the test asserts on the
 * SDK command's input, which is what the SDK serializes to the service.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { describe, expect, it, vi } from 'vitest';
import { EventBridgeDeliveryScheduler } from '../../../lib/adapters/scheduler/eventbridge-delivery-scheduler.ts';
import { parseDeliveryJob, type DeliveryJob } from '../../../lib/domain/delivery-job.ts';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/Mailroom-SendQueue';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/Mailroom-SchedulerRole';
const AT = Date.parse('2026-12-24T09:00:00.250Z');
const job: DeliveryJob = {
  v: 1,
  messageId: '01JSCHEDULE0000000000000000',
  tenant: 'acme',
  attempt: 1,
  notBefore: AT,
  enqueuedAt: AT - 86_400_000,
};

/** The adapter over a real SchedulerClient whose `send` (the call to AWS) is replaced by `answer`. */
function scheduler(answer: (command: unknown) => Promise<unknown> = async () => ({})) {
  const client = new SchedulerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const send = vi.spyOn(client, 'send').mockImplementation(answer as never);
  const adapter = new EventBridgeDeliveryScheduler(client, { groupName: 'mailroom-sends', roleArn: ROLE_ARN, queueUrl: QUEUE_URL });
  return { adapter, send, sent: () => send.mock.calls.map(([command]) => command) };
}

const meta = { $metadata: {} };

describe('EventBridgeDeliveryScheduler.schedule', () => {
  it('creates a one-time schedule in the group, named by the message, that sends the job to the send queue and then deletes itself', async () => {
    const { adapter, sent } = scheduler();
    await adapter.schedule(job.messageId, AT, job);
    const [command] = sent();
    expect(command).toBeInstanceOf(CreateScheduleCommand);
    const input = (command as CreateScheduleCommand).input;
    expect(input).toEqual({
      Name: job.messageId,
      GroupName: 'mailroom-sends',
      // Whole seconds, rounded up: never before the time.
      ScheduleExpression: 'at(2026-12-24T09:00:01)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Description: 'mailroom: delivery of message 01JSCHEDULE0000000000000000',
      Target: {
        Arn: 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage',
        RoleArn: ROLE_ARN,
        Input: expect.any(String),
        RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
      },
    });
    // The universal target's input is SQS SendMessage's request: the job as the body, the tenant
    // as the group id that makes the send queue fair, as the API's own enqueue does.
    const request = JSON.parse(input.Target!.Input!) as Record<string, string>;
    expect(request).toEqual({ QueueUrl: QUEUE_URL, MessageBody: expect.any(String), MessageGroupId: 'acme' });
    expect(parseDeliveryJob(request.MessageBody!)).toEqual(job);
  });

  it('takes a schedule of that name that exists already (ConflictException) as made: a retry of the same request', async () => {
    const { adapter, sent } = scheduler(async () => {
      throw new ConflictException({ Message: 'Schedule 01J… already exists.', message: 'Schedule 01J… already exists.', ...meta });
    });
    await expect(adapter.schedule(job.messageId, AT, job)).resolves.toBeUndefined();
    expect(sent()).toHaveLength(1);
  });

  it('throws any other refusal', async () => {
    const { adapter } = scheduler(async () => {
      throw new ValidationException({ Message: 'The role cannot be assumed.', message: 'The role cannot be assumed.', ...meta });
    });
    await expect(adapter.schedule(job.messageId, AT, job)).rejects.toBeInstanceOf(ValidationException);
  });

  it('names the target in the role’s partition', async () => {
    const client = new SchedulerClient({ region: 'cn-north-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const send = vi.spyOn(client, 'send').mockImplementation((async () => ({})) as never);
    const adapter = new EventBridgeDeliveryScheduler(client, {
      groupName: 'mailroom-sends',
      roleArn: 'arn:aws-cn:iam::123456789012:role/Mailroom-SchedulerRole',
      queueUrl: QUEUE_URL,
    });
    await adapter.schedule(job.messageId, AT, job);
    expect((send.mock.calls[0]![0] as CreateScheduleCommand).input.Target?.Arn).toBe('arn:aws-cn:scheduler:::aws-sdk:sqs:sendMessage');
  });

  it('refuses a campaign job: the schedules may only send to the transactional queue', async () => {
    const { adapter, sent } = scheduler();
    await expect(adapter.schedule(job.messageId, AT, { ...job, lane: 'bulk' })).rejects.toThrow(/transactional/);
    expect(sent()).toEqual([]);
  });
});

describe('EventBridgeDeliveryScheduler.cancel', () => {
  it('deletes the schedule of the name in the group', async () => {
    const { adapter, sent } = scheduler();
    await adapter.cancel(job.messageId);
    const [command] = sent();
    expect(command).toBeInstanceOf(DeleteScheduleCommand);
    expect((command as DeleteScheduleCommand).input).toEqual({ Name: job.messageId, GroupName: 'mailroom-sends' });
  });

  it('takes a schedule that is gone (fired and deleted, or never made) as deleted', async () => {
    const { adapter } = scheduler(async () => {
      throw new ResourceNotFoundException({ Message: 'Schedule 01J… does not exist.', message: 'Schedule 01J… does not exist.', ...meta });
    });
    await expect(adapter.cancel(job.messageId)).resolves.toBeUndefined();
  });
});
