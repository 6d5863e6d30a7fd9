/**
 * Re-enqueues messages still waiting for delivery. The local queue lives in memory, so
 * after a restart the store, not the queue, says what is left to do; the delivery claim
 * makes any duplicate job harmless.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { scanPages } from '../adapters/dynamodb/scan-pages.ts';
import type { DeliveryJob } from '../domain/delivery-job.ts';
import type { SendQueue } from '../ports/send-queue.ts';

/** Enqueues one job per pending message; returns how many. */
export async function requeuePending(client: DynamoDBClient, messagesTable: string, queue: SendQueue): Promise<number> {
  let count = 0;
  const pages = scanPages(client, {
    TableName: messagesTable,
    FilterExpression: 'sk = :message AND (#status = :queued OR #status = :deferred)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':message': { S: '#' }, ':queued': { S: 'queued' }, ':deferred': { S: 'deferred' } },
  });
  for await (const messages of pages) {
    const jobs: DeliveryJob[] = messages.map((message) => {
      const attempts = Number(message.attempts ?? 0);
      // An attempt that was in flight is taken over once its lease runs out; otherwise the next one starts.
      const attempt = message.leaseUntil !== undefined ? Math.max(1, attempts) : attempts + 1;
      return {
        v: 1,
        messageId: String(message.id ?? message.pk),
        tenant: String(message.tenant),
        attempt,
        ...(message.campaign !== undefined && { lane: 'bulk' as const }),
      };
    });
    if (jobs.length) await queue.enqueue(jobs);
    count += jobs.length;
  }
  return count;
}
