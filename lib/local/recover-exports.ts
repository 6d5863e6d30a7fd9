/**
 * Re-enqueues exports still waiting to run or cut short. The local queue lives in memory, so
 * after a restart the exports table, not the queue, says what is left to do; a duplicate task
 * only starts a new run, which supersedes the old one.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { scanPages } from '../adapters/dynamodb/scan-pages.ts';
import type { ExportQueue } from '../ports/export-queue.ts';

/** Enqueues one task per queued or running export; returns how many. */
export async function requeueExports(client: DynamoDBClient, exportsTable: string, queue: ExportQueue): Promise<number> {
  let count = 0;
  const pages = scanPages(client, {
    TableName: exportsTable,
    FilterExpression: '#status IN (:queued, :running)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':queued': { S: 'queued' }, ':running': { S: 'running' } },
  });
  for await (const jobs of pages) {
    for (const job of jobs) {
      await queue.enqueue({ v: 1, exportId: String(job.pk), tenant: String(job.tenant) });
      count += 1;
    }
  }
  return count;
}
