import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactImportStore, pages } from '../../../lib/adapters/dynamodb/contact-import-store.ts';
import type { ContactImportJob } from '../../../lib/domain/contact-import-job.ts';
import type { DuplicateRow, FailedRow } from '../../../lib/domain/import-plan.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';

const client = dynamoClient();
let store: DynamoContactImportStore;
let table: string;
const LIST = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const at = (ms = 0) => new Date(Date.parse('2026-11-28T12:00:00.000Z') + ms).toISOString();

beforeAll(async () => {
  table = (await freshTables(client)).imports;
  store = new DynamoContactImportStore(client, table);
});
afterAll(() => client.destroy());

function job(overrides: Partial<ContactImportJob> = {}): ContactImportJob {
  return {
    id: ulid(),
    tenant: 'acme',
    listId: LIST,
    format: 'csv',
    state: 'queued',
    rowsTotal: 3_000,
    rowsDone: 0,
    imported: 0,
    failedCount: 0,
    unsubscribedCount: 0,
    stepSize: 1000,
    stepsDone: 0,
    bodyKey: 'x.csv',
    createdAt: at(),
    updatedAt: at(),
    // In the future: DynamoDB Local removes expired items (TTL) as DynamoDB does.
    expiresAt: new Date(Math.ceil(Date.now() / 1000 + 7 * 86_400) * 1000).toISOString(),
    ...overrides,
  };
}

const step = (index: number, unsubscribed: string[] = []) => ({
  step: index,
  rowsDone: (index + 1) * 1000,
  imported: (index + 1) * 1000,
  failedCount: 0,
  unsubscribed,
  at: at(index + 1),
});

describe('DynamoContactImportStore', () => {
  it('stores a job, reads it back unchanged, and keeps it apart per tenant and list', async () => {
    const created = job();
    await store.create(created);
    expect(await store.get(created)).toEqual(created);
    expect(await store.get({ ...created, tenant: 'other' })).toBeUndefined();
    expect(await store.get({ ...created, listId: '01M90000000000000000000000' })).toBeUndefined();
    await expect(store.create(created)).rejects.toThrow();
  });

  it('records each step once, in order, with its unsubscribed addresses; never a step twice', async () => {
    const created = job();
    await store.create(created);
    expect(await store.recordStep(created, step(0))).toBe(false); // not started
    const running = (await store.start(created, at(1)))!;
    expect(running).toMatchObject({ state: 'running', startedAt: at(1) });
    // Started again (a redelivered task): still running, the first start kept.
    expect(await store.start(created, at(2))).toMatchObject({ state: 'running', startedAt: at(1) });

    expect(await store.recordStep(running, step(1))).toBe(false);
    expect(await store.recordStep(running, step(0, ['a@example.com']))).toBe(true);
    expect(await store.recordStep(running, step(0, ['a@example.com']))).toBe(false);
    expect(await store.recordStep(running, step(1))).toBe(true);
    expect(await store.recordStep(running, step(2, ['b@example.com', 'c@example.com']))).toBe(true);
    expect(await store.get(created)).toMatchObject({ stepsDone: 3, rowsDone: 3000, imported: 3000, unsubscribedCount: 3 });

    // Completes only with every step recorded, once.
    const completion = { steps: 4, rowsDone: 3000, imported: 3000, failedCount: 0, failed: [], duplicates: [], at: at(9) };
    expect(await store.complete(running, completion)).toBe(false);
    expect(await store.complete(running, { ...completion, steps: 3 })).toBe(true);
    expect(await store.complete(running, { ...completion, steps: 3 })).toBe(false);
    expect(await store.get(created)).toMatchObject({ state: 'completed', completedAt: at(9) });
    expect(await store.results(created)).toEqual({
      failed: [],
      duplicates: [],
      unsubscribed: ['a@example.com', 'b@example.com', 'c@example.com'],
    });
    expect(await store.start(created, at(10))).toBeUndefined();
    expect(await store.fail(created, 'gave_up', 'late', at(10))).toBe(false);
  });

  it('keeps results of any size in pages, in order, each expiring with the job', async () => {
    const created = job({ rowsTotal: 50_000 });
    await store.create(created);
    const running = (await store.start(created, at(1)))!;
    const failed: FailedRow[] = Array.from({ length: 10_000 }, (_, i) => ({
      row: i + 1,
      line: i + 2,
      email: `bad-${i}`,
      errors: Array.from({ length: 5 }, (_, e) => ({ field: `attributes.f${e}`, message: 'x'.repeat(40) })),
      errors_omitted: 2,
    }));
    const duplicates: DuplicateRow[] = Array.from({ length: 20_000 }, (_, i) => ({
      row: i + 1,
      email: `d${i}@example.com`,
      kept_row: 40_000 + i,
    }));
    expect(pages(failed).length).toBeGreaterThan(3);
    const completion = { steps: 0, rowsDone: 50_000, imported: 0, failedCount: 30_000, failed, duplicates, at: at(5) };
    expect(await store.complete(running, completion)).toBe(true);
    const results = await store.results(created);
    expect(results.failed).toEqual(failed);
    expect(results.duplicates).toEqual(duplicates);
    // Another job of the same list shares none of them.
    expect(await store.results({ ...created, id: ulid() })).toEqual({ failed: [], duplicates: [], unsubscribed: [] });
    const page = await client.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: `acme#${LIST}` }, sk: { S: `${created.id}#f#000` } } }),
    );
    expect(page.Item?.expiresAt).toEqual({ N: String(Date.parse(created.expiresAt) / 1000) });
  });

  it('fails a queued or running job once', async () => {
    const created = job();
    await store.create(created);
    expect(await store.fail(created, 'list_deleted', 'the list was deleted', at(3))).toBe(true);
    expect(await store.fail(created, 'gave_up', 'again', at(4))).toBe(false);
    expect(await store.get(created)).toMatchObject({
      state: 'failed',
      failure: 'list_deleted',
      error: 'the list was deleted',
      updatedAt: at(3),
    });
    expect(await store.fail({ ...created, id: ulid() }, 'gave_up', 'missing', at(4))).toBe(false);
  });
});

describe('pages', () => {
  it('splits entries into JSON arrays within the byte limit', () => {
    const entries = Array.from({ length: 10 }, (_, i) => ({ i, pad: 'é'.repeat(20) }));
    const split = pages(entries, 120);
    expect(split.flatMap((p) => JSON.parse(p))).toEqual(entries);
    for (const page of split) expect(Buffer.byteLength(page)).toBeLessThanOrEqual(120);
    expect(pages([])).toEqual([]);
  });
});
