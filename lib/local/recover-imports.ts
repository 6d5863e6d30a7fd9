/**
 * Re-enqueues contact imports still waiting to run or cut short. The local queue lives in
 * memory, so after a restart the imports table, not the queue, says what is left to do; a run
 * goes on from the job's last recorded step, and a duplicate task finds the step recorded.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { scanPages } from '../adapters/dynamodb/scan-pages.ts';
import type { ImportQueue } from '../ports/import-queue.ts';

/** Enqueues one task per queued or running import; returns how many. */
export async function requeueImports(client: DynamoDBClient, importsTable: string, queue: ImportQueue): Promise<number> {
  let count = 0;
  const pages = scanPages(client, {
    TableName: importsTable,
    // Result pages have no state: only job items match.
    FilterExpression: '#state IN (:queued, :running)',
    ProjectionExpression: '#tenant, #listId, #id',
    ExpressionAttributeNames: { '#state': 'state', '#tenant': 'tenant', '#listId': 'listId', '#id': 'id' },
    ExpressionAttributeValues: { ':queued': { S: 'queued' }, ':running': { S: 'running' } },
  });
  for await (const jobs of pages) {
    for (const job of jobs) {
      await queue.enqueue({ v: 1, tenant: String(job.tenant), listId: String(job.listId), importId: String(job.id) });
      count += 1;
    }
  }
  return count;
}
