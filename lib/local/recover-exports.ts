/**
 * Re-enqueues exports still waiting to run or cut short. The local queue lives in memory, so
 * after a restart the exports table, not the queue, says what is left to do; a duplicate task
 * only starts a new run, which supersedes the old one.
 */
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { ExportQueue } from '../ports/export-queue.ts';

/** Enqueues one task per queued or running export; returns how many. */
export async function requeueExports(client: DynamoDBClient, exportsTable: string, queue: ExportQueue): Promise<number> {
  let count = 0;
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: exportsTable,
        FilterExpression: '#status IN (:queued, :running)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':queued': { S: 'queued' }, ':running': { S: 'running' } },
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    for (const item of page.Items ?? []) {
      const job = unmarshall(item);
      await queue.enqueue({ v: 1, exportId: String(job.pk), tenant: String(job.tenant) });
      count += 1;
    }
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return count;
}
