/** The webhook-queue consumer as Lambda calls it: tries of a batch at once, tries not due put out of sight, partial batch responses. */
import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createWebhookHandler } from '../../../lib/handlers/webhook-handler.ts';
import type { WebhookJob } from '../../../lib/domain/webhook-delivery.ts';
import { lambdaContext } from '../../../lib/local/lambda-context.ts';
import { createWebhook } from '../../../lib/use-cases/webhooks.ts';
import { webhookDeps } from '../../support/webhook-deps.ts';

function record(id: string, body: unknown): SQSRecord {
  return {
    messageId: id,
    receiptHandle: `handle-${id}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:0:webhooks',
    awsRegion: 'us-east-1',
  };
}

describe('the webhook handler', () => {
  it('sends the tries of a batch at once and answers which stay in the queue', async () => {
    const deps = webhookDeps();
    const hook = await createWebhook(deps, 'acme', { url: 'https://hooks.example.com/in' });
    const job = (id: string, extra: Partial<WebhookJob> = {}): WebhookJob => ({
      deliveryId: id,
      tenant: 'acme',
      endpointId: hook.id,
      eventId: `E-${id}`,
      type: 'sent',
      body: '{}',
      attempt: 1,
      ...extra,
    });
    let inFlight = 0;
    let most = 0;
    const send = deps.webhookSender.send.bind(deps.webhookSender);
    deps.webhookSender.send = async (request) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight--;
      return send(request);
    };
    // Tries of the webhooks table fail for one record only: it is named, the others are done.
    const record_ = deps.webhookDeliveries.record.bind(deps.webhookDeliveries);
    deps.webhookDeliveries.record = async (attempt) => {
      if (attempt.id === '01JCX8R9G5V4S1M4Q5DRWY7N3C') throw new Error('throttled');
      return record_(attempt);
    };
    const handler = createWebhookHandler(deps);
    const answer = await handler(
      {
        Records: [
          record('a', job('01JCX8R9G5V4S1M4Q5DRWY7N3A')),
          record('b', job('01JCX8R9G5V4S1M4Q5DRWY7N3B', { attempt: 4, notBefore: '2026-03-01T02:00:00.000Z' })),
          record('c', job('01JCX8R9G5V4S1M4Q5DRWY7N3C')),
          record('d', job('01JCX8R9G5V4S1M4Q5DRWY7N3D')),
          record('e', 'not json'),
        ],
      },
      lambdaContext('webhook', 30),
    );
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }, { itemIdentifier: 'c' }] });
    expect(most).toBe(3);
    expect(deps.webhookQueue.postponed).toEqual([{ handle: 'handle-b', seconds: 7200 }]);
    expect(deps.log.lines).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'not a webhook job', extra: { messageId: 'e' } }),
    );
    expect(deps.log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'webhook try failed' }));
    expect(JSON.stringify(deps.log.lines)).not.toContain('whsec_');
  });
});
