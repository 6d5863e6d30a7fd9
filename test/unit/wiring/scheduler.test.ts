/** Which DeliveryScheduler the API function gets, from its environment. No AWS call is made. */
import { describe, expect, it } from 'vitest';
import { EventBridgeDeliveryScheduler } from '../../../lib/adapters/scheduler/eventbridge-delivery-scheduler.ts';
import { ConfigError } from '../../../lib/config.ts';
import { ENV } from '../../../lib/env.ts';
import { portInstance } from '../../../lib/wiring/lazy-port.ts';
import { deliveryScheduler } from '../../../lib/wiring/scheduler.ts';
import { MemoryDeliveryScheduler } from '../../support/fakes/index.ts';

const queue = { [ENV.sendQueueUrl]: 'https://sqs.eu-west-1.amazonaws.com/123456789012/send' };
const role = { [ENV.schedulerRoleArn]: 'arn:aws:iam::123456789012:role/scheduler' };

describe('deliveryScheduler', () => {
  it('is EventBridge Scheduler when the stack names the group and the role, loaded when first used', async () => {
    const scheduler = deliveryScheduler({ ...queue, ...role, [ENV.scheduleGroup]: 'mailroom-sends' }, {});
    expect(scheduler).not.toBeInstanceOf(EventBridgeDeliveryScheduler);
    expect(await portInstance(scheduler!)).toBeInstanceOf(EventBridgeDeliveryScheduler);
  });

  it('names the missing role of a group', () => {
    expect(() => deliveryScheduler({ ...queue, [ENV.scheduleGroup]: 'mailroom-sends' }, {})).toThrow(ConfigError);
    expect(() => deliveryScheduler({ ...queue, [ENV.scheduleGroup]: 'mailroom-sends' }, {})).toThrow(ENV.schedulerRoleArn);
  });

  it('is the one passed in (local mode), and none without a group', () => {
    const passed = new MemoryDeliveryScheduler();
    expect(deliveryScheduler({ ...queue, ...role, [ENV.scheduleGroup]: 'mailroom-sends' }, { scheduler: passed })).toBe(passed);
    expect(deliveryScheduler(queue, {})).toBeUndefined();
  });
});
