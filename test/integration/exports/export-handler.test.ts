/**
 * The export handler on DynamoDB Local, invoked as Lambda would invoke it, with blob stores
 * that keep what they get, fail, or wait: retries, the last receive, a run superseded by a
 * duplicate delivery, and tasks that are not tasks.
 */
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoEventStore } from '../../../lib/adapters/dynamodb/event-store.ts';
import { DynamoExportStore } from '../../../lib/adapters/dynamodb/export-store.ts';
import { DynamoMessageStore } from '../../../lib/adapters/dynamodb/message-store.ts';
import { DynamoMessageTimeline } from '../../../lib/adapters/dynamodb/message-timeline.ts';
import type { ExportJob, ExportTask } from '../../../lib/domain/export-job.ts';
import { createExportHandler, type ExportHandlerDeps } from '../../../lib/handlers/export-handler.ts';
import { lambdaContext } from '../../../lib/local/lambda-context.ts';
import type { BlobStore } from '../../../lib/ports/blob-store.ts';
import type { MessageTimeline } from '../../../lib/ports/message-timeline.ts';
import { systemClock } from '../../../lib/ports/clock.ts';
import { memoryLog } from '../../support/fakes/index.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { storedMessage, uniqueId } from '../dynamodb/factories.ts';

const client = dynamoClient();
const context = lambdaContext('export', 900);
const today = new Date().toISOString().slice(0, 10);
let base: Omit<ExportHandlerDeps, 'blobs'>;
let exports: DynamoExportStore;
const tenant = uniqueId('tenant');

/** Keeps every file it is given, as text. */
function memoryBlobs(): BlobStore & { files: Map<string, string> } {
  const files = new Map<string, string>();
  return {
    files,
    async put(key, chunks) {
      let text = '';
      for await (const chunk of chunks) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      files.set(key, text);
      return { bytes: Buffer.byteLength(text) };
    },
    downloadUrl: async (key) => `memory://${key}`,
  };
}

function sqsEvent(body: string, receiveCount = 1): SQSEvent {
  return {
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
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:exports',
        awsRegion: 'us-east-1',
      },
    ],
  };
}

async function newJob(overrides: Partial<ExportJob> = {}): Promise<ExportTask> {
  const id = uniqueId('X').replace(/-/g, '');
  const now = new Date().toISOString();
  await exports.create({
    id,
    tenant,
    type: 'sends',
    from: today,
    to: today,
    status: 'queued',
    rowCount: 0,
    attempts: 0,
    createdAt: now,
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    ...overrides,
  });
  return { v: 1, exportId: id, tenant };
}

beforeAll(async () => {
  const tables = await freshTables(client);
  exports = new DynamoExportStore(client, tables.exports);
  const messages = new DynamoMessageStore(client, tables.messages);
  for (let i = 0; i < 4; i++) await messages.create(storedMessage({ tenant, recipients: ['a@example.com', 'b@example.com'] }));
  base = {
    exports,
    timeline: new DynamoMessageTimeline(client, tables.messages),
    messages,
    events: new DynamoEventStore(client, tables.events),
    clock: systemClock,
    log: memoryLog(),
    maxReceiveCount: 3,
    progressEvery: 2,
  };
});
afterAll(() => client.destroy());

describe('export handler', () => {
  it('writes the report and marks the job done; a second delivery of the task does nothing', async () => {
    const blobs = memoryBlobs();
    const handler = createExportHandler({ ...base, blobs });
    const task = await newJob();
    expect(await handler(sqsEvent(JSON.stringify(task)), context)).toEqual({ batchItemFailures: [] });
    const job = await exports.get(task.exportId);
    expect(job).toMatchObject({
      status: 'done',
      rowCount: 8,
      attempts: 1,
      objectKey: `${task.exportId}/1/mailroom-sends-${today}-to-${today}.csv`,
    });
    expect(blobs.files.get(job!.objectKey!)!.split('\r\n')).toHaveLength(1 + 8 + 1);

    expect(await handler(sqsEvent(JSON.stringify(task), 2), context)).toEqual({ batchItemFailures: [] });
    expect((await exports.get(task.exportId))?.attempts).toBe(1);
  });

  it('hands a failing export back to the queue, and marks it failed on the last receive', async () => {
    const broken: BlobStore = { put: async () => Promise.reject(new Error('S3 is down')), downloadUrl: async () => '' };
    const handler = createExportHandler({ ...base, blobs: broken });
    const task = await newJob();
    expect(await handler(sqsEvent(JSON.stringify(task), 1), context)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect((await exports.get(task.exportId))?.status).toBe('running');
    expect(await handler(sqsEvent(JSON.stringify(task), 3), context)).toEqual({ batchItemFailures: [] });
    expect(await exports.get(task.exportId)).toMatchObject({ status: 'failed', error: 'gave up after 3 receives: Error', attempts: 2 });
  });

  it('lets a run superseded by a duplicate delivery finish without touching the job', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let writing!: () => void;
    const reachedPut = new Promise<void>((resolve) => (writing = resolve));
    const blobs = memoryBlobs();
    const slow: BlobStore = {
      async put(key, chunks, options) {
        writing();
        await gate;
        return blobs.put(key, chunks, options);
      },
      downloadUrl: blobs.downloadUrl,
    };
    const task = await newJob();
    const first = createExportHandler({ ...base, blobs: slow })(sqsEvent(JSON.stringify(task)), context);
    // The first run has claimed the job and is about to write its file.
    await reachedPut;
    // The duplicate runs to the end while the first is still waiting to write.
    expect(await createExportHandler({ ...base, blobs })(sqsEvent(JSON.stringify(task)), context)).toEqual({ batchItemFailures: [] });
    release();
    expect(await first).toEqual({ batchItemFailures: [] });
    expect(await exports.get(task.exportId)).toMatchObject({
      status: 'done',
      attempts: 2,
      rowCount: 8,
      objectKey: expect.stringContaining('/2/'),
    });
    expect([...blobs.files.keys()].filter((k) => k.startsWith(task.exportId))).toEqual([expect.stringContaining('/2/')]);
  });

  it('gives up before the function times out, so the last receive can still mark the job failed', async () => {
    const slow: MessageTimeline = {
      async *between(tenantName, start, end) {
        for await (const message of base.timeline.between(tenantName, start, end)) {
          await new Promise((resolve) => setTimeout(resolve, 600));
          yield message;
        }
      },
    };
    const handler = createExportHandler({ ...base, timeline: slow, blobs: memoryBlobs() });
    const task = await newJob();
    // 21 s left: the handler keeps 20 s back, so the run has about one second.
    const started = Date.now();
    expect(await handler(sqsEvent(JSON.stringify(task), 3), lambdaContext('export', 21))).toEqual({ batchItemFailures: [] });
    // Reading the four messages takes 2.4 s: without the deadline the export would be done.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await exports.get(task.exportId)).toMatchObject({ status: 'failed', error: 'gave up after 3 receives: TimeoutError' });
  });

  it('drops a body that is not a task, and fails a task naming another tenant', async () => {
    const handler = createExportHandler({ ...base, blobs: memoryBlobs() });
    expect(await handler(sqsEvent('{"hello":1}'), context)).toEqual({ batchItemFailures: [] });
    const task = await newJob();
    expect(await handler(sqsEvent(JSON.stringify({ ...task, tenant: 'intruder' })), context)).toEqual({ batchItemFailures: [] });
    expect(await exports.get(task.exportId)).toMatchObject({ status: 'failed', error: 'task names another tenant' });
  });
});
