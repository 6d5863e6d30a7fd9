import type { Context, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ImportNotFoundError, type ImportTask } from '../../../lib/domain/contact-import-job.ts';
import { ServiceUnavailableError, ValidationError } from '../../../lib/domain/errors.ts';
import { IMPORT_STEP } from '../../../lib/domain/import-plan.ts';
import { ListNotFoundError } from '../../../lib/domain/list-requests.ts';
import type { Contact, MailingList } from '../../../lib/domain/mailing-list.ts';
import { createImportHandler } from '../../../lib/handlers/import-handler.ts';
import type { ContactStore } from '../../../lib/ports/list-store.ts';
import { importContacts } from '../../../lib/use-cases/contact-import.ts';
import { acceptImport, getImport, SYNC_IMPORT_MAX_ROWS, type ImportJobDeps } from '../../../lib/use-cases/contact-import-jobs.ts';
import { runContactImport } from '../../../lib/use-cases/run-contact-import.ts';
import {
  clockAt,
  MemoryContactImportStore,
  MemoryImportBodyStore,
  MemoryListStore,
  MemoryUnsubscribeStore,
  memoryLog,
} from '../../support/fakes/index.ts';

const LIST_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const NOW = '2026-11-28T12:00:00.000Z';
const list: MailingList = { id: LIST_ID, tenant: 'acme', name: 'News', createdAt: NOW, updatedAt: NOW };

/** Contacts in memory; counts each write of an address. */
function memoryContacts() {
  const stored = new Map<string, Contact>();
  const writes = new Map<string, number>();
  const contacts = {
    getMany: async (_t: string, _l: string, emails: string[]) =>
      new Map(emails.filter((e) => stored.has(e)).map((e) => [e, stored.get(e)!])),
    putMany: async (batch: Contact[]) => {
      for (const contact of batch) {
        stored.set(contact.email, contact);
        writes.set(contact.email, (writes.get(contact.email) ?? 0) + 1);
      }
    },
  } as unknown as ContactStore;
  return { contacts, stored, writes };
}

function setup() {
  const { contacts, stored, writes } = memoryContacts();
  const imports = new MemoryContactImportStore();
  const importBodies = new MemoryImportBodyStore();
  const queued: ImportTask[] = [];
  let ids = 0;
  const deps: ImportJobDeps = {
    lists: new MemoryListStore(list),
    contacts,
    unsubscribes: new MemoryUnsubscribeStore({ tenant: 'acme', email: 'u02500@example.com', createdAt: NOW }),
    imports,
    importBodies,
    importQueue: { enqueue: async (task) => void queued.push(task) },
    clock: clockAt(NOW),
    newId: () => `01M9000000000000000000000${ids++}`,
    importRetentionDays: 7,
    log: memoryLog(),
  };
  return { deps, imports, importBodies, queued, stored, writes };
}

const address = (i: number) => `u${String(i).padStart(5, '0')}@example.com`;
/** A CSV body of `count` rows; row 3 is bad and the last row repeats address 1. */
function csv(count: number): string {
  const lines = ['email,n'];
  for (let i = 1; i <= count; i++) lines.push(`${address(i)},${i}`);
  lines[3] = 'not-an-address,3';
  lines[count] = `${address(1)},last`;
  return `${lines.join('\n')}\n`;
}
const request = (text: string, preferAsync = false) => ({ source: { format: 'csv' as const, text }, text, preferAsync });

/** Queues a job of `count` rows and returns its task. */
async function queued(s: ReturnType<typeof setup>, count: number): Promise<ImportTask> {
  const outcome = await acceptImport(s.deps, 'acme', LIST_ID, request(csv(count), true));
  expect(outcome.kind).toBe('queued');
  return s.queued.at(-1)!;
}
const never = () => false;

describe('acceptImport', () => {
  it(`writes up to ${SYNC_IMPORT_MAX_ROWS} rows within the call, and queues a job beyond, or when asked`, async () => {
    const s = setup();
    const now = await acceptImport(s.deps, 'acme', LIST_ID, request(csv(SYNC_IMPORT_MAX_ROWS)));
    expect(now).toMatchObject({ kind: 'done', answer: { imported: SYNC_IMPORT_MAX_ROWS - 2, failed_count: 1 } });
    expect(s.queued).toEqual([]);

    const asked = await acceptImport(s.deps, 'acme', LIST_ID, request(csv(10), true));
    const job = await acceptImport(s.deps, 'acme', LIST_ID, request(csv(SYNC_IMPORT_MAX_ROWS + 1)));
    expect(asked).toMatchObject({ kind: 'queued', job: { state: 'queued', rows_total: 10 } });
    expect(job).toMatchObject({
      kind: 'queued',
      location: `/v1/lists/${LIST_ID}/contacts/imports/${s.queued[1]!.importId}`,
      job: { list_id: LIST_ID, state: 'queued', rows_total: SYNC_IMPORT_MAX_ROWS + 1, rows_done: 0, imported: 0, failed_count: 0 },
    });
    expect(s.queued).toEqual([
      { v: 1, tenant: 'acme', listId: LIST_ID, importId: expect.any(String) },
      { v: 1, tenant: 'acme', listId: LIST_ID, importId: expect.any(String) },
    ]);
    // The body is kept as sent.
    expect(s.importBodies.bodies.get(`${s.queued[1]!.importId}.csv`)).toBe(csv(SYNC_IMPORT_MAX_ROWS + 1));
  });

  it('refuses an unknown list, then a file it cannot read, before keeping anything', async () => {
    const s = setup();
    await expect(acceptImport(s.deps, 'acme', '01M90000000000000000000000', request('email\n"a@x.example\n', true))).rejects.toThrow(
      ListNotFoundError,
    );
    await expect(acceptImport(s.deps, 'acme', LIST_ID, request('email\n"a@x.example\n', true))).rejects.toThrow(ValidationError);
    expect([s.importBodies.bodies.size, s.imports.jobs.size, s.queued.length]).toEqual([0, 0, 0]);
  });

  it('answers 503 when the job cannot be queued, and marks it failed rather than leave it queued', async () => {
    const s = setup();
    s.deps.importQueue = { enqueue: async () => Promise.reject(new Error('queue down')) };
    await expect(acceptImport(s.deps, 'acme', LIST_ID, request(csv(5), true))).rejects.toThrow(ServiceUnavailableError);
    expect([...s.imports.jobs.values()].map((j) => [j.state, j.failure])).toEqual([['failed', 'gave_up']]);
  });
});

describe('runContactImport', () => {
  it('writes every contact and completes with the result a small import answers', async () => {
    const s = setup();
    const task = await queued(s, 4_200);
    expect(await runContactImport(s.deps, task, never)).toBe('done');
    const job = await getImport(s.deps, 'acme', LIST_ID, task.importId);

    const sync = setup();
    const answer = await importContacts(sync.deps, 'acme', LIST_ID, { format: 'csv', text: csv(4_200) });
    expect(job).toMatchObject({ ...answer, state: 'completed', rows_total: 4_200, rows_done: 4_200, completed_at: NOW });
    expect(answer.unsubscribed).toEqual([address(2500)]);
    expect(s.stored.size).toBe(4_198);
    // The body is removed once its contacts are written.
    expect(s.importBodies.bodies.size).toBe(0);
  });

  it('stops between steps when time is nearly up, and the next run goes on from the last recorded step', async () => {
    const s = setup();
    const task = await queued(s, 4_200);
    let steps = 0;
    // Time runs out after two steps have started.
    const afterTwo = () => ++steps > 1;
    expect(await runContactImport(s.deps, task, afterTwo)).toBe('more');
    const midway = await getImport(s.deps, 'acme', LIST_ID, task.importId);
    expect(midway).toMatchObject({ state: 'running', imported: 2 * IMPORT_STEP, rows_done: 2 * IMPORT_STEP + 2, failed_count: 1 });
    expect(await runContactImport(s.deps, task, never)).toBe('done');
    expect(await getImport(s.deps, 'acme', LIST_ID, task.importId)).toMatchObject({
      state: 'completed',
      imported: 4_198,
      rows_done: 4_200,
      unsubscribed: [address(2500)],
    });
    // Each address written once: the second run started at step 2.
    expect(Math.max(...s.writes.values())).toBe(1);
  });

  it('rewrites a step whose record was lost, and counts it once', async () => {
    const s = setup();
    const task = await queued(s, 3_500);
    const record = s.imports.recordStep.bind(s.imports);
    s.imports.recordStep = async (job, step) => {
      if (step.step === 2) throw new Error('ProvisionedThroughputExceededException');
      return record(job, step);
    };
    await expect(runContactImport(s.deps, task, never)).rejects.toThrow('ProvisionedThroughputExceededException');
    expect(await getImport(s.deps, 'acme', LIST_ID, task.importId)).toMatchObject({ state: 'running', imported: 2 * IMPORT_STEP });

    s.imports.recordStep = record;
    expect(await runContactImport(s.deps, task, never)).toBe('done');
    const job = await getImport(s.deps, 'acme', LIST_ID, task.importId);
    expect(job).toMatchObject({ imported: 3_498, rows_done: 3_500, unsubscribed: [address(2500)] });
    expect(s.imports.jobs.get(`acme|${LIST_ID}|${task.importId}`)?.unsubscribedCount).toBe(1);
    // The step whose record was lost was written twice: the same contacts.
    expect(s.writes.get(address(2500))).toBe(2);

    // Delivered again once completed: nothing is read or written.
    const before = s.writes.get(address(1));
    expect(await runContactImport(s.deps, task, never)).toBe('skipped');
    expect(s.writes.get(address(1))).toBe(before);
  });

  it('leaves the job to the run that recorded a step first', async () => {
    const s = setup();
    const task = await queued(s, 2_500);
    s.imports.recordStep = async () => false;
    expect(await runContactImport(s.deps, task, never)).toBe('skipped');
    expect((await getImport(s.deps, 'acme', LIST_ID, task.importId)).state).toBe('running');
  });

  it('fails the job when its list is deleted, before or while it runs, or when its body is gone', async () => {
    const before = setup();
    const early = await queued(before, 10);
    await before.deps.lists.delete('acme', LIST_ID);
    expect(await runContactImport(before.deps, early, never)).toBe('failed');
    expect(await getImport(before.deps, 'acme', LIST_ID, early.importId)).toMatchObject({
      state: 'failed',
      error: { code: 'list_not_found', message: expect.any(String) },
    });

    const during = setup();
    const task = await queued(during, 3_000);
    let checks = 0;
    const get = during.deps.lists.get.bind(during.deps.lists);
    // Found at the start and before the first two steps; gone before the third.
    during.deps.lists.get = async (tenant, id) => (++checks <= 3 ? get(tenant, id) : undefined);
    expect(await runContactImport(during.deps, task, never)).toBe('failed');
    expect(await getImport(during.deps, 'acme', LIST_ID, task.importId)).toMatchObject({ state: 'failed', imported: 2 * IMPORT_STEP });

    const gone = setup();
    const lost = await queued(gone, 10);
    gone.importBodies.bodies.clear();
    expect(await runContactImport(gone.deps, lost, never)).toBe('failed');
    expect(await getImport(gone.deps, 'acme', LIST_ID, lost.importId)).toMatchObject({ state: 'failed', error: { code: 'import_failed' } });
  });
});

describe('getImport', () => {
  it("is import_not_found for another tenant's job, another list's, a malformed id, or one past its retention", async () => {
    const s = setup();
    const task = await queued(s, 5);
    await expect(getImport(s.deps, 'other', LIST_ID, task.importId)).rejects.toThrow(ImportNotFoundError);
    await expect(getImport(s.deps, 'acme', '01M90000000000000000000000', task.importId)).rejects.toThrow(ImportNotFoundError);
    await expect(getImport(s.deps, 'acme', LIST_ID, 'nope')).rejects.toThrow(ImportNotFoundError);
    expect((await getImport(s.deps, 'acme', LIST_ID, task.importId)).state).toBe('queued');
    (s.deps.clock as ReturnType<typeof clockAt>).advance(7 * 86_400_000 + 1000);
    await expect(getImport(s.deps, 'acme', LIST_ID, task.importId)).rejects.toThrow(ImportNotFoundError);
  });
});

describe('the import handler', () => {
  const event = (body: string, receiveCount = 1): SQSEvent => ({
    Records: [
      {
        messageId: 'm-1',
        receiptHandle: 'r',
        body,
        attributes: {
          ApproximateReceiveCount: String(receiveCount),
          SentTimestamp: '0',
          SenderId: 'x',
          ApproximateFirstReceiveTimestamp: '0',
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:imports',
        awsRegion: 'us-east-1',
      },
    ],
  });
  const context = (remainingMs: () => number) => ({ getRemainingTimeInMillis: remainingMs }) as unknown as Context;

  it('queues the continuation of a job that ran out of time', async () => {
    const s = setup();
    const task = await queued(s, 2_500);
    const handler = createImportHandler({ ...s.deps, maxReceiveCount: 3, reserveMs: 60_000 });
    // 61 s left for the first step, then less than the reserve.
    let calls = 0;
    const answer = await handler(
      event(JSON.stringify(task)),
      context(() => (calls++ < 1 ? 61_000 : 59_000)),
    );
    expect(answer.batchItemFailures).toEqual([]);
    expect(s.queued).toEqual([task, task]);
    expect((await getImport(s.deps, 'acme', LIST_ID, task.importId)).imported).toBeGreaterThan(0);
  });

  it('retries a failing run, and marks the job failed on the last receive', async () => {
    const s = setup();
    const task = await queued(s, 10);
    s.importBodies.get = async () => Promise.reject(new Error('S3 down'));
    const handler = createImportHandler({ ...s.deps, maxReceiveCount: 3, reserveMs: 60_000 });
    expect(
      (
        await handler(
          event(JSON.stringify(task), 1),
          context(() => 900_000),
        )
      ).batchItemFailures,
    ).toEqual([{ itemIdentifier: 'm-1' }]);
    expect((await getImport(s.deps, 'acme', LIST_ID, task.importId)).state).toBe('running');
    expect(
      (
        await handler(
          event(JSON.stringify(task), 3),
          context(() => 900_000),
        )
      ).batchItemFailures,
    ).toEqual([]);
    expect(await getImport(s.deps, 'acme', LIST_ID, task.importId)).toMatchObject({ state: 'failed', error: { code: 'import_failed' } });
  });

  it('drops a record that is not a task, with a trace', async () => {
    const s = setup();
    const handler = createImportHandler({ ...s.deps, maxReceiveCount: 3, reserveMs: 60_000 });
    expect(
      (
        await handler(
          event('{"v":2}'),
          context(() => 900_000),
        )
      ).batchItemFailures,
    ).toEqual([]);
    expect((s.deps.log as ReturnType<typeof memoryLog>).lines).toContainEqual(expect.objectContaining({ message: 'not an import task' }));
  });
});
