/** After a restart, local mode queues again the webhook retries its in-memory queue lost, from the delivery log. */
import { ulid } from 'ulid';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoWebhookDeliveryStore } from '../../lib/adapters/dynamodb/webhook-delivery-store.ts';
import { requeueWebhookRetries } from '../../lib/local/recover-webhooks.ts';
import { clockAt, MemoryWebhookQueue } from '../support/fakes/index.ts';
import { dynamoClient, freshTables } from '../support/local-aws.ts';

const client = dynamoClient();
afterAll(() => client.destroy());

describe('webhook retries after a restart', () => {
  it('are queued again for their time, from the tries made; finished deliveries are not', async () => {
    const table = (await freshTables(client)).webhooks;
    const deliveries = new DynamoWebhookDeliveryStore(client, table);
    const clock = clockAt(Date.now());
    const now = clock.now().getTime();
    const base = { tenant: 'acme', endpointId: ulid(), type: 'sent', body: '{"id":"E"}', attempted: true } as const;
    const retrying = {
      ...base,
      id: ulid(),
      eventId: 'E1',
      at: new Date(now).toISOString(),
      status: 'retrying' as const,
      nextAttemptAt: new Date(now + 1800_000).toISOString(),
    };
    await deliveries.record(retrying);
    await deliveries.record(retrying);
    await deliveries.record({ ...base, id: ulid(), eventId: 'E2', at: new Date(now).toISOString(), status: 'succeeded' });
    await deliveries.record({ ...base, id: ulid(), eventId: 'E3', at: new Date(now).toISOString(), status: 'failed' });

    const queue = new MemoryWebhookQueue();
    expect(await requeueWebhookRetries(client, table, queue, clock)).toBe(1);
    expect(queue.enqueued).toEqual([
      {
        job: {
          deliveryId: retrying.id,
          tenant: 'acme',
          endpointId: base.endpointId,
          eventId: 'E1',
          type: 'sent',
          body: base.body,
          attempt: 3,
          notBefore: retrying.nextAttemptAt,
        },
        delaySeconds: 1800,
      },
    ]);
  });
});
