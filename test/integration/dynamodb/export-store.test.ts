import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoExportStore } from '../../../lib/adapters/dynamodb/export-store.ts';
import { DynamoMessageStore } from '../../../lib/adapters/dynamodb/message-store.ts';
import { DynamoMessageTimeline } from '../../../lib/adapters/dynamodb/message-timeline.ts';
import type { ExportJob } from '../../../lib/domain/export-job.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { iso, storedMessage, uniqueId } from './factories.ts';

const client = dynamoClient();
let store: DynamoExportStore;
let messagesTable: string;
let timeline: DynamoMessageTimeline;

beforeAll(async () => {
  const tables = await freshTables(client);
  store = new DynamoExportStore(client, tables.exports);
  messagesTable = tables.messages;
  timeline = new DynamoMessageTimeline(client, tables.messages, { pageSize: 2 });
});
afterAll(() => client.destroy());

function job(overrides: Partial<ExportJob> = {}): ExportJob {
  return {
    id: uniqueId('X').replace(/-/g, ''),
    tenant: 'acme',
    type: 'sends',
    from: '2026-11-01',
    to: '2026-11-30',
    status: 'queued',
    rowCount: 0,
    attempts: 0,
    createdAt: iso(),
    expiresAt: iso(7 * 86_400_000),
    ...overrides,
  };
}

describe('DynamoExportStore', () => {
  it('stores a job and reads it back unchanged', async () => {
    const created = job();
    await store.create(created);
    expect(await store.get(created.id)).toEqual(created);
    expect(await store.get('nothing')).toBeUndefined();
    await expect(store.create(created)).rejects.toThrow();
  });

  it('numbers runs, and lets only the latest one report progress, finish or fail', async () => {
    const created = job();
    await store.create(created);
    const first = await store.claim(created.id, iso(1000));
    expect(first).toMatchObject({ status: 'running', attempts: 1, rowCount: 0, startedAt: iso(1000) });
    expect(await store.progress(created.id, 1, 500)).toBe(true);
    expect((await store.get(created.id))?.rowCount).toBe(500);

    // A run that died is taken over by the next delivery of the task.
    expect(await store.claim(created.id, iso(2000))).toMatchObject({ attempts: 2, rowCount: 0 });
    expect(await store.progress(created.id, 1, 900)).toBe(false);
    expect(await store.complete(created.id, 1, { rowCount: 900, objectKey: 'k1', finishedAt: iso(3000) })).toBe(false);
    expect(await store.fail(created.id, 'late', iso(3000), 1)).toBe(false);

    expect(await store.complete(created.id, 2, { rowCount: 1000, objectKey: 'k2', finishedAt: iso(4000) })).toBe(true);
    expect(await store.get(created.id)).toMatchObject({
      status: 'done',
      rowCount: 1000,
      objectKey: 'k2',
      finishedAt: iso(4000),
      attempts: 2,
    });
    // Finished: no new run, no failure.
    expect(await store.claim(created.id, iso(5000))).toBeUndefined();
    expect(await store.fail(created.id, 'too late', iso(5000))).toBe(false);
  });

  it('fails a queued or running job once', async () => {
    const created = job();
    await store.create(created);
    expect(await store.fail(created.id, 'could not be queued', iso(1000))).toBe(true);
    expect(await store.get(created.id)).toMatchObject({ status: 'failed', error: 'could not be queued', finishedAt: iso(1000) });
    expect(await store.fail(created.id, 'again', iso(2000))).toBe(false);
    expect(await store.fail('missing', 'x', iso(2000))).toBe(false);
    expect(await store.claim('missing', iso(2000))).toBeUndefined();
  });
});

describe('DynamoMessageTimeline', () => {
  it("walks a tenant's messages oldest first, both ends of the range included, across pages", async () => {
    const tenant = uniqueId('tenant');
    const at = [
      '2026-11-01T00:00:00.000Z',
      '2026-11-30T23:59:59.999Z',
      '2026-11-15T12:00:00.000Z',
      '2026-10-31T23:59:59.999Z',
      '2026-12-01T00:00:00.000Z',
      '2026-11-02T00:00:00.000Z',
    ];
    const stored = at.map((createdAt) => storedMessage({ tenant, createdAt, recipients: ['a@example.com'] }));
    // Fixed dates: a long retention keeps DynamoDB Local's TTL from removing them mid-test.
    const keep = new DynamoMessageStore(client, messagesTable, { retentionDays: 3650 });
    for (const s of stored) await keep.create(s);
    await keep.create(storedMessage({ tenant: uniqueId('other'), createdAt: '2026-11-10T00:00:00.000Z' }));

    const seen = [];
    for await (const message of timeline.between(tenant, '2026-11-01T00:00:00.000Z', '2026-11-30T23:59:59.999Z'))
      seen.push(message.createdAt);
    expect(seen).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z', '2026-11-15T12:00:00.000Z', '2026-11-30T23:59:59.999Z']);
  });
});
