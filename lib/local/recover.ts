/**
 * Re-enqueues messages still waiting for delivery. The local queue lives in memory, so
 * after a restart the store, not the queue, says what is left to do; the delivery claim
 * makes any duplicate job harmless. Scheduled messages are handed over again as at
 * acceptance (dispatch-jobs.ts): those due within 15 minutes go on the queue with their
 * delay, the others to the scheduler, where a schedule that survived in the data folder is
 * kept as it is (it has the message's id for a name).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tenantOfKey } from '../adapters/dynamodb/feed-keys.ts';
import { scanPages } from '../adapters/dynamodb/scan-pages.ts';
import type { DeliveryJob } from '../domain/delivery-job.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import type { DeliveryScheduler } from '../ports/delivery-scheduler.ts';
import type { SendQueue } from '../ports/send-queue.ts';
import { dispatchJobs } from '../use-cases/dispatch-jobs.ts';

/** What requeuePending hands scheduled messages to, and the time it reads. */
export interface RequeueOptions {
  scheduler?: DeliveryScheduler;
  clock?: Clock;
}

/** Enqueues (or schedules) one job per pending or scheduled message; returns how many. */
export async function requeuePending(
  client: DynamoDBClient,
  messagesTable: string,
  queue: SendQueue,
  options: RequeueOptions = {},
): Promise<number> {
  let count = 0;
  const pages = scanPages(client, {
    TableName: messagesTable,
    FilterExpression: 'sk = :message AND #status IN (:queued, :deferred, :scheduled)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':message': { S: '#' },
      ':queued': { S: 'queued' },
      ':deferred': { S: 'deferred' },
      ':scheduled': { S: 'scheduled' },
    },
  });
  for await (const messages of pages) {
    const jobs: DeliveryJob[] = messages.map((message) => {
      const attempts = Number(message.attempts ?? 0);
      // An attempt that was in flight is taken over once its lease runs out; otherwise the next one starts.
      const attempt = message.leaseUntil !== undefined ? Math.max(1, attempts) : attempts + 1;
      const sendAt = message.status === 'scheduled' && typeof message.sendAt === 'string' ? Date.parse(message.sendAt) : undefined;
      return {
        v: 1,
        messageId: String(message.id ?? message.pk),
        // The item's `tenant` is its byTenant shard (`<tenant>#<shard>`).
        tenant: tenantOfKey(String(message.tenant)),
        attempt,
        ...(message.campaign !== undefined && { lane: 'bulk' as const }),
        ...(sendAt !== undefined && { notBefore: sendAt }),
      };
    });
    if (jobs.length)
      await dispatchJobs({ queue, clock: options.clock ?? systemClock, ...(options.scheduler && { scheduler: options.scheduler }) }, jobs);
    count += jobs.length;
  }
  return count;
}
