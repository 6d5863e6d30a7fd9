/**
 * Re-enqueues the webhook retries that were waiting when local mode stopped. The local queue
 * lives in memory, so after a restart the delivery log, not the queue, says which deliveries
 * are still `retrying`, when their next try is due and what to send.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { scanPages } from '../adapters/dynamodb/scan-pages.ts';
import type { WebhookDelivery } from '../domain/webhook-delivery.ts';
import type { Clock } from '../ports/clock.ts';
import type { WebhookQueue } from '../ports/webhook-queue.ts';

/** Enqueues the next try of each delivery still retrying; returns how many. */
export async function requeueWebhookRetries(
  client: DynamoDBClient,
  webhooksTable: string,
  queue: WebhookQueue,
  clock: Clock,
): Promise<number> {
  let count = 0;
  const pages = scanPages(client, {
    TableName: webhooksTable,
    // Endpoints and counts have no status: only deliveries match.
    FilterExpression: '#status = :retrying',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':retrying': { S: 'retrying' } },
  });
  for await (const items of pages) {
    for (const item of items) {
      const delivery = item as unknown as WebhookDelivery;
      const due = delivery.nextAttemptAt ?? clock.now().toISOString();
      const wait = Math.max(0, (Date.parse(due) - clock.now().getTime()) / 1000);
      const { id, tenant, endpointId, eventId, type, body } = delivery;
      // The schedule goes on from the tries made (manual ones counted too: a little sooner to its end).
      await queue.enqueue(
        [{ deliveryId: id, tenant, endpointId, eventId, type, body, attempt: delivery.attempts + 1, notBefore: due }],
        wait,
      );
      count += 1;
    }
  }
  return count;
}
