/** Local mode's restart recovery: what the store says is unfinished goes back on the (in-memory) queues. */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import type { DeliveryJob } from '../../lib/domain/delivery-job.ts';
import { requeuePending } from '../../lib/local/recover.ts';
import { requeueExports } from '../../lib/local/recover-exports.ts';
import { requeueImports } from '../../lib/local/recover-imports.ts';
import type { ExportQueue } from '../../lib/ports/export-queue.ts';
import type { ImportQueue } from '../../lib/ports/import-queue.ts';
import type { SendQueue } from '../../lib/ports/send-queue.ts';
import { clockAt, MemoryDeliveryScheduler, MemorySendQueue } from '../support/fakes/index.ts';
import { dynamoClient, freshTables } from '../support/local-aws.ts';

describe('restart recovery', () => {
  it('requeues pending messages (taking over leased attempts), unfinished exports and imports, and nothing else', async () => {
    const client = dynamoClient();
    const tables = await freshTables(client);
    const put = (table: string, item: Record<string, unknown>) =>
      client.send(new PutItemCommand({ TableName: table, Item: marshall(item) }));
    for (let i = 0; i < 30; i++)
      await put(tables.messages, { pk: `q${i}`, sk: '#', id: `q${i}`, tenant: 't', status: 'queued', attempts: 0 });
    // A message item's `tenant` is its byTenant shard (`<tenant>#<shard>`); items written before the index was sharded hold the bare tenant.
    await put(tables.messages, { pk: 'leased', sk: '#', id: 'leased', tenant: 't#5', status: 'deferred', attempts: 2, leaseUntil: 1 });
    await put(tables.messages, { pk: 'done', sk: '#', id: 'done', tenant: 't', status: 'sent', attempts: 1 });
    await put(tables.messages, { pk: 'q0', sk: 'b', text: 'a body item is not a message', status: 'queued' });
    for (const [id, status] of [
      ['e1', 'queued'],
      ['e2', 'running'],
      ['e3', 'done'],
      ['e4', 'failed'],
    ])
      await put(tables.exports, { pk: id, tenant: 't', status });

    for (const [id, state] of [
      ['i1', 'queued'],
      ['i2', 'running'],
      ['i3', 'completed'],
      ['i4', 'failed'],
    ])
      await put(tables.imports, { pk: 't#L', sk: id, tenant: 't', listId: 'L', id, state });
    // A page of a job's result is no job.
    await put(tables.imports, { pk: 't#L', sk: 'i2#u#00000', entries: '[]' });

    const jobs: DeliveryJob[] = [];
    const sendQueue: SendQueue = { enqueue: async (batch) => void jobs.push(...batch), deadLetter: async () => undefined };
    expect(await requeuePending(client, tables.messages, sendQueue)).toBe(31);
    expect(jobs.find((j) => j.messageId === 'leased')).toEqual({ v: 1, messageId: 'leased', tenant: 't', attempt: 2 });
    expect(jobs.find((j) => j.messageId === 'q7')).toEqual({ v: 1, messageId: 'q7', tenant: 't', attempt: 1 });

    const exportIds: string[] = [];
    const exportQueue = { enqueue: async (task: { exportId: string }) => void exportIds.push(task.exportId) } as unknown as ExportQueue;
    expect(await requeueExports(client, tables.exports, exportQueue)).toBe(2);
    expect(exportIds.sort()).toEqual(['e1', 'e2']);

    const imports: unknown[] = [];
    const importQueue: ImportQueue = { enqueue: async (task) => void imports.push(task) };
    expect(await requeueImports(client, tables.imports, importQueue)).toBe(2);
    expect(imports).toEqual(
      expect.arrayContaining([
        { v: 1, tenant: 't', listId: 'L', importId: 'i1' },
        { v: 1, tenant: 't', listId: 'L', importId: 'i2' },
      ]),
    );
    client.destroy();
  });

  it('hands scheduled messages over again by their time: the queue within 15 minutes, the scheduler beyond; canceled ones stay', async () => {
    const client = dynamoClient();
    const tables = await freshTables(client);
    const now = Date.parse('2026-12-06T10:00:00.000Z');
    const at = (ms: number) => new Date(now + ms).toISOString();
    const put = (item: Record<string, unknown>) => client.send(new PutItemCommand({ TableName: tables.messages, Item: marshall(item) }));
    const message = (id: string, status: string, sendAt?: string) => ({ pk: id, sk: '#', id, tenant: 't', status, attempts: 0, sendAt });
    await put(message('due', 'scheduled', at(-60_000)));
    await put(message('soon', 'scheduled', at(10 * 60_000)));
    await put(message('later', 'scheduled', at(86_400_000)));
    await put(message('gone', 'canceled', at(86_400_000)));

    const queue = new MemorySendQueue();
    const scheduler = new MemoryDeliveryScheduler();
    expect(await requeuePending(client, tables.messages, queue, { scheduler, clock: clockAt(now) })).toBe(3);
    const job = (id: string, notBefore: number) => ({ v: 1, messageId: id, tenant: 't', attempt: 1, notBefore });
    expect(queue.enqueued).toEqual(
      expect.arrayContaining([{ job: job('due', now - 60_000) }, { job: job('soon', now + 600_000), delaySeconds: 600 }]),
    );
    expect(queue.enqueued).toHaveLength(2);
    expect([...scheduler.schedules]).toEqual([['later', { at: now + 86_400_000, job: job('later', now + 86_400_000) }]]);
    client.destroy();
  });
});
