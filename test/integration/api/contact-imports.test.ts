/**
 * Contact imports as background jobs, through the local runtime's HTTP API: 50,000 rows (the
 * documented maximum) end to end with progress seen on the way; small imports still answered
 * at once, with the same result; a job cut short and delivered again, which counts nothing
 * twice; and who may read a job.
 */
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoUnsubscribeStore } from '../../../lib/adapters/dynamodb/unsubscribe-store.ts';
import { ENV } from '../../../lib/env.ts';
import { lambdaContext } from '../../../lib/local/lambda-context.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { toSqsRecord } from '../../../lib/local/sqs-poller.ts';
import { FUNCTIONS } from '../../../lib/topology.ts';
import { SYNC_IMPORT_MAX_ROWS } from '../../../lib/use-cases/contact-import-jobs.ts';
import { as, newKey } from '../../support/exports.ts';
import { memoryLog } from '../../support/fakes/index.ts';
import { dynamoFaults, tablesOf, type DynamoCall } from '../../support/faults.ts';
import { call, startPipeline, type ApiAnswer } from '../../support/pipeline.ts';
import { waitFor } from '../../support/wait.ts';

const log = memoryLog();
let runtime: LocalRuntime;
const keys: Record<string, string> = {};

beforeAll(async () => {
  runtime = await startPipeline({ log });
  keys.other = await newKey(runtime, 'other', ['send', 'read']);
  keys.readOnly = await newKey(runtime, 'dev', ['read']);
});
afterAll(() => runtime?.stop());

const email = (i: number) => `user${String(i).padStart(5, '0')}@example.com`;

interface Answer extends ApiAnswer {
  location: string | null;
}

/** POSTs an import body as is (CSV, or JSON text) and returns the answer with its Location header. */
async function postImport(
  target: LocalRuntime,
  listId: string,
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${target.apiUrl}/v1/lists/${listId}/contacts/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.apiKey}`, 'content-type': contentType, ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, location: response.headers.get('location') };
}

async function newList(target: LocalRuntime, name: string): Promise<string> {
  const created = await call(target, 'POST', '/v1/lists', { name });
  expect(created.status).toBe(201);
  return created.body.id;
}

/** Every contact of a list, page after page. */
async function allContacts(target: LocalRuntime, listId: string): Promise<{ email: string; status: string; attributes: object }[]> {
  const out = [];
  let cursor: string | undefined;
  do {
    const page = await call(target, 'GET', `/v1/lists/${listId}/contacts?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    out.push(...page.body.data);
    cursor = page.body.next_cursor ?? undefined;
  } while (cursor);
  return out;
}

/** A CSV file of `count` rows, email(1)…email(count), with `change` applied to the row lines (index 1 is row 1). */
function csvFile(count: number, change: (lines: string[]) => void = () => undefined): string {
  const lines = ['email,first_name,plan,status'];
  for (let i = 1; i <= count; i++) lines.push(`${email(i)},Name ${i},${i % 2 ? 'free' : 'pro'},`);
  change(lines);
  return `${lines.join('\r\n')}\r\n`;
}

/** Polls the job at `location` until it is completed or failed; every document read on the way is kept in `seen`. */
async function waitForImport(target: LocalRuntime, location: string, seen: ApiAnswer['body'][] = [], timeout = 200_000) {
  return waitFor(
    async () => {
      const answer = await call(target, 'GET', location);
      expect(answer.status).toBe(200);
      seen.push(answer.body);
      return answer.body;
    },
    (job) => job.state === 'completed' || job.state === 'failed',
    {
      timeout,
      interval: 100,
      message: `import ${location} to finish`,
      show: (job) => JSON.stringify({ state: job?.state, rows_done: job?.rows_done }),
    },
  );
}

describe('a 50,000-row import (the documented maximum)', () => {
  it('runs as a background job: 202 with Location, progress on the way, every row accounted for, contacts readable', async () => {
    const listId = await newList(runtime, 'Fifty thousand');
    // Someone on the list unsubscribed through a link before: the import keeps them unsubscribed.
    const unsubscribes = new DynamoUnsubscribeStore(runtime.dynamo, runtime.env[ENV.unsubscribesTable]!);
    await unsubscribes.put({ tenant: 'dev', email: email(30_000), listId, createdAt: new Date().toISOString() });
    const csv = csvFile(50_000, (lines) => {
      lines[10] = 'broken-address,Ten,free,';
      lines[25_000] = `${email(1)},Again,pro,`;
    });

    const started = performance.now();
    const accepted = await postImport(runtime, listId, csv, 'text/csv; charset=utf-8');
    const acceptedMs = Math.round(performance.now() - started);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const location = `/v1/lists/${listId}/contacts/imports/${accepted.body.id}`;
    expect(accepted.location).toBe(location);
    expect(accepted.body).toEqual({
      id: expect.stringMatching(/^[0-9A-Z]{26}$/),
      list_id: listId,
      state: 'queued',
      rows_total: 50_000,
      rows_done: 0,
      imported: 0,
      failed_count: 0,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      expires_at: expect.any(String),
    });

    const seen: ApiAnswer['body'][] = [];
    const job = await waitForImport(runtime, location, seen);
    const ms = Math.round(performance.now() - started);
    const worker = log.lines.find((l) => l.message === 'contact import completed' && l.extra?.importId === accepted.body.id);
    console.log(
      `import of 50,000 CSV rows: answered in ${acceptedMs} ms, completed in ${ms} ms (the import function: ${worker?.extra?.ms} ms)`,
    );
    if (job.state !== 'completed')
      console.log(
        job,
        log.lines.filter((l) => l.level === 'error' || l.level === 'warn'),
      );

    expect(job).toEqual({
      id: accepted.body.id,
      list_id: listId,
      state: 'completed',
      rows_total: 50_000,
      rows_done: 50_000,
      imported: 49_998,
      failed_count: 1,
      failed: [{ row: 10, line: 11, email: 'broken-address', errors: [{ field: 'email', message: 'is not a valid email address' }] }],
      duplicates: [{ row: 1, email: email(1), kept_row: 25_000 }],
      unsubscribed: [email(30_000)],
      created_at: accepted.body.created_at,
      updated_at: expect.any(String),
      started_at: expect.any(String),
      completed_at: expect.any(String),
      expires_at: accepted.body.expires_at,
    });
    // Progress was visible on the way, and only ever grew.
    const done = seen.map((s) => s.rows_done as number);
    expect(
      done.some((n) => n > 0 && n < 50_000),
      `rows_done seen: ${done.join(' ')}`,
    ).toBe(true);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(seen.some((s) => s.state === 'running')).toBe(true);

    const stored = await allContacts(runtime, listId);
    expect(stored).toHaveLength(49_998);
    expect(stored.find((c) => c.email === email(1))).toMatchObject({
      status: 'subscribed',
      attributes: { first_name: 'Again', plan: 'pro' },
    });
    expect(stored.find((c) => c.email === email(30_000))).toMatchObject({ status: 'unsubscribed' });
    expect(stored.find((c) => c.email === email(50_000))).toMatchObject({ attributes: { first_name: 'Name 50000', plan: 'pro' } });
    expect(stored.some((c) => c.email === email(25_000) || c.email === email(10))).toBe(false);
  }, 300_000);

  it('refuses more rows than the maximum up front, with a 400 naming the limit', async () => {
    const listId = await newList(runtime, 'Too many');
    const answer = await postImport(runtime, listId, csvFile(50_001), 'text/csv');
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual([{ field: 'contacts', message: 'at most 50000 rows per import, got 50001' }]);
    expect(await allContacts(runtime, listId)).toEqual([]);
  }, 60_000);
});

describe('small imports', () => {
  const rows = (count: number) => {
    const contacts: unknown[] = Array.from({ length: count }, (_, i) => ({ email: email(i + 1), attributes: { n: i + 1 } }));
    contacts[4] = { email: 'nope', attributes: { n: 5 } };
    contacts[count - 1] = { email: email(2), attributes: { n: 'last' } };
    return JSON.stringify({ contacts });
  };

  it(`answer at once up to ${SYNC_IMPORT_MAX_ROWS} rows; a job answers the same result`, async () => {
    const now = await postImport(runtime, await newList(runtime, 'At once'), rows(SYNC_IMPORT_MAX_ROWS), 'application/json');
    expect(now.status).toBe(200);
    expect(now.location).toBeNull();
    expect(now.body).toEqual({
      imported: SYNC_IMPORT_MAX_ROWS - 2,
      failed_count: 1,
      failed: [{ row: 5, email: 'nope', errors: [{ field: 'email', message: 'is not a valid email address' }] }],
      unsubscribed: [],
      duplicates: [{ row: 2, email: email(2), kept_row: SYNC_IMPORT_MAX_ROWS }],
    });

    // The same rows as a job, because the client asks for one (RFC 7240 respond-async).
    const asked = await postImport(runtime, await newList(runtime, 'Asked'), rows(SYNC_IMPORT_MAX_ROWS), 'application/json', {
      prefer: 'respond-async',
    });
    expect(asked.status).toBe(202);
    const job = await waitForImport(runtime, asked.location!);
    expect(job).toMatchObject({ state: 'completed', rows_total: SYNC_IMPORT_MAX_ROWS, rows_done: SYNC_IMPORT_MAX_ROWS, ...now.body });

    // One row more is a job whatever the client prefers.
    const over = await postImport(runtime, await newList(runtime, 'Over'), rows(SYNC_IMPORT_MAX_ROWS + 1), 'application/json');
    expect(over.status).toBe(202);
    expect((await waitForImport(runtime, over.location!)).imported).toBe(SYNC_IMPORT_MAX_ROWS - 1);
  }, 60_000);
});

describe('reading a job', () => {
  let listId: string;
  let location: string;

  beforeAll(async () => {
    listId = await newList(runtime, 'Readable');
    const answer = await postImport(runtime, listId, csvFile(5), 'text/csv', { prefer: 'respond-async' });
    expect(answer.status).toBe(202);
    location = answer.location!;
    await waitForImport(runtime, location);
  });

  it('needs the read scope only', async () => {
    expect((await call(runtime, 'GET', location, undefined, as(keys.readOnly))).body.state).toBe('completed');
    const refused = await postImport(runtime, listId, csvFile(5), 'text/csv', { authorization: `Bearer ${keys.readOnly}` });
    expect(refused.status).toBe(403);
  });

  it('is import_not_found for another tenant, another list, an unknown or malformed id', async () => {
    const otherList = await newList(runtime, 'Other');
    const id = location.split('/').pop()!;
    for (const [path, key] of [
      [location, keys.other],
      [`/v1/lists/${otherList}/contacts/imports/${id}`, undefined],
      [`/v1/lists/${listId}/contacts/imports/01ARZ3NDEKTSV4RRFFQ69G5FAV`, undefined],
      [`/v1/lists/${listId}/contacts/imports/not-an-id`, undefined],
      [`/v1/lists/not-a-list/contacts/imports/${id}`, undefined],
    ] as const) {
      const answer = await call(runtime, 'GET', path, undefined, as(key));
      expect({ path, status: answer.status, code: answer.body?.error?.code }).toEqual({ path, status: 404, code: 'import_not_found' });
    }
  });
});

describe('a job cut short and delivered again', () => {
  const faults = dynamoFaults();
  let own: LocalRuntime;

  beforeAll(async () => {
    // No pollers: the test hands the job to the import handler itself, as SQS would.
    own = await startPipeline({ log, pollers: false, instrumentClient: (client) => faults.instrument(client) });
  });
  afterAll(async () => {
    faults.set(undefined);
    await own?.stop();
  });

  /** The call that records step `step` of an import as done (an update of the job, alone or in a transaction). */
  const recordsStep = (importsTable: string, step: number) => (call: DynamoCall) => {
    if (!tablesOf(call).includes(importsTable)) return false;
    const updates = [
      call.input,
      ...((call.input.TransactItems as { Update?: Record<string, unknown> }[] | undefined) ?? []).map((i) => i.Update),
    ];
    return updates.some((u) => (u?.ExpressionAttributeValues as Record<string, { N?: string }> | undefined)?.[':step']?.N === String(step));
  };

  it('goes on where its progress stopped and counts every row once', async () => {
    const listId = await newList(own, 'Redelivered');
    const unsubscribes = new DynamoUnsubscribeStore(own.dynamo, own.env[ENV.unsubscribesTable]!);
    // One unsubscribe in each of the first four steps of 1,000 addresses.
    for (const i of [500, 1500, 2500, 3500])
      await unsubscribes.put({ tenant: 'dev', email: email(i), createdAt: new Date().toISOString() });
    const csv = csvFile(4_200, (lines) => {
      lines[7] = 'broken,Seven,free,';
      lines[4_200] = `${email(3)},Three again,pro,`;
    });
    const accepted = await postImport(own, listId, csv, 'text/csv');
    expect(accepted.status).toBe(202);

    const { Messages = [] } = await own.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: own.importQueueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1, AttributeNames: ['All'] }),
    );
    expect(Messages).toHaveLength(1);
    const delivery = (receiveCount: number): SQSEvent => {
      const record = toSqsRecord(Messages[0]!, 'arn:aws:sqs:us-east-1:000000000000:imports');
      return { Records: [{ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: String(receiveCount) } }] };
    };
    const invoke = (receiveCount: number) =>
      own.handlers.import(delivery(receiveCount), lambdaContext('import', FUNCTIONS.import.timeoutSeconds));

    // Step 2 (addresses 2,001–3,000) is written, but recording it fails every retry: the run ends there.
    faults.set((c) => (recordsStep(own.env[ENV.importsTable]!, 2)(c) ? 'internal-error' : undefined));
    expect((await invoke(1)).batchItemFailures).toHaveLength(1);
    faults.set(undefined);
    const midway = (await call(own, 'GET', accepted.location!)).body;
    // Two steps of 1,000 contacts, plus the bad row and the superseded one.
    expect(midway).toMatchObject({ state: 'running', rows_total: 4_200, rows_done: 2_002, imported: 2_000, failed_count: 1 });

    expect((await invoke(2)).batchItemFailures).toEqual([]);
    const completed = (await call(own, 'GET', accepted.location!)).body;
    expect(completed).toMatchObject({
      state: 'completed',
      rows_total: 4_200,
      rows_done: 4_200,
      imported: 4_198,
      failed_count: 1,
      failed: [{ row: 7, line: 8, email: 'broken' }],
      duplicates: [{ row: 3, email: email(3), kept_row: 4_200 }],
      unsubscribed: [email(500), email(1500), email(2500), email(3500)],
    });

    // Delivered once more after it finished: nothing changes.
    expect((await invoke(3)).batchItemFailures).toEqual([]);
    expect((await call(own, 'GET', accepted.location!)).body).toEqual(completed);
    expect(await allContacts(own, listId)).toHaveLength(4_198);
  }, 120_000);
});
