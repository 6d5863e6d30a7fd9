/**
 * The real API handler over DynamoDB Local and the SQS emulator, for one test file: fresh
 * tables and queues, seeded API keys, a `call` that invokes the handler with an API Gateway
 * event, and helpers to read the send queue.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FolderImportBodyStore } from '../../../lib/adapters/fs/folder-import-body-store.ts';
import { DynamoApiKeyStore } from '../../../lib/adapters/dynamodb/api-key-store.ts';
import { generateApiKey, hashApiKey, keyPrefix, type ApiKeyScope } from '../../../lib/domain/api-key.ts';
import { parseDeliveryJob, type DeliveryJob } from '../../../lib/domain/delivery-job.ts';
import { ENV } from '../../../lib/env.ts';
import { createApiHandler, type ApiDeps } from '../../../lib/handlers/api-handler.ts';
import { lambdaContext } from '../../../lib/local/lambda-context.ts';
import { TABLE_ENV, type TableName } from '../../../lib/topology.ts';
import { wireApi } from '../../../lib/wiring.ts';
import { memoryLog, type MemoryLog } from '../../support/fakes/index.ts';
import { dynamoClient, freshQueues, freshTables, sqsClient, uniquePrefix } from '../../support/local-aws.ts';
import { apiEvent, type ApiEventOptions } from './events.ts';

/** What the handler answered, with the body parsed when it is JSON. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** The raw body text. */
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are inspected loosely in tests
  body: any;
}

export interface ApiHarness {
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  tables: Record<TableName, string>;
  queueUrl: string;
  keys: DynamoApiKeyStore;
  log: MemoryLog;
  /** Invokes the handler as Lambda would. */
  call(method: string, path: string, options?: ApiEventOptions): Promise<Answer>;
  /** Invokes the handler with a ready-made event. */
  invoke(event: ReturnType<typeof apiEvent>): Promise<Answer>;
  /** Creates a key for a tenant and returns it in plain text. */
  newKey(tenant: string, scopes?: ApiKeyScope[], revoked?: boolean): Promise<string>;
  /** Receives (and deletes) every job now visible on the send queue. */
  drainJobs(): Promise<DeliveryJob[]>;
  close(): void;
}

export interface ApiHarnessOptions {
  /** The SQS client the handler uses (the queues are still created with one on the emulator). */
  handlerSqs?: SQSClient;
  /** Changes the wired dependencies before the handler is built (to make a port fail). */
  adjust?: (deps: ApiDeps) => ApiDeps;
}

/** Builds the handler on fresh tables and queues. */
export async function apiHarness(options: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const dynamo = dynamoClient();
  const sqs = sqsClient();
  const tables = await freshTables(dynamo);
  const queues = await freshQueues(sqs);
  // Senders' domains are not checked here (test/integration/domains covers that).
  const env: Record<string, string> = {
    [ENV.sendQueueUrl]: queues.queueUrl,
    [ENV.deadLetterQueueUrl]: queues.deadLetterQueueUrl,
    [ENV.verifiedDomains]: 'off',
  };
  for (const table of Object.keys(TABLE_ENV) as TableName[]) env[TABLE_ENV[table]] = tables[table];
  // Any other queue the API wires gets its own emulator queue; a bucket only needs a name
  // (these tests call no route that writes to one; import bodies go to a temporary folder).
  for (const [name, variable] of Object.entries(ENV)) {
    if (env[variable] !== undefined) continue;
    if (name.endsWith('QueueUrl'))
      env[variable] = (await sqs.send(new CreateQueueCommand({ QueueName: `${uniquePrefix()}-${name}` }))).QueueUrl!;
    else if (name.endsWith('Bucket')) env[variable] = 'mailroom-api-tests';
  }
  const log = memoryLog();
  const bodies = mkdtempSync(join(tmpdir(), 'mailroom-import-bodies-'));
  const deps = wireApi(env, { dynamo, sqs: options.handlerSqs ?? sqs, log, importBodies: new FolderImportBodyStore(bodies) });
  const handler = createApiHandler(options.adjust ? options.adjust(deps) : deps);
  const keys = new DynamoApiKeyStore(dynamo, tables.apiKeys);

  const invoke = async (event: ReturnType<typeof apiEvent>): Promise<Answer> => {
    const result = await handler(event, lambdaContext('api', 10));
    const text = typeof result.body === 'string' ? result.body : '';
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: result.statusCode, headers: result.headers ?? {}, text, body };
  };

  return {
    dynamo,
    sqs,
    tables,
    queueUrl: queues.queueUrl,
    keys,
    log,
    invoke,
    call: (method, path, options) => invoke(apiEvent(method, path, options)),
    async newKey(tenant, scopes = ['send', 'read'], revoked = false) {
      const key = generateApiKey();
      await keys.put({
        hash: hashApiKey(key),
        prefix: keyPrefix(key),
        tenant,
        scopes,
        createdAt: new Date().toISOString(),
        ...(revoked && { revokedAt: new Date().toISOString() }),
      });
      return key;
    },
    async drainJobs() {
      const jobs: DeliveryJob[] = [];
      // The handler answers after SQS accepted its jobs, so they are visible by now: receive
      // until a short poll comes back empty.
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queues.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        if (Messages.length === 0) break;
        for (const message of Messages) {
          const job = parseDeliveryJob(message.Body ?? '');
          if (!job) throw new Error(`not a delivery job: ${message.Body}`);
          jobs.push(job);
        }
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queues.queueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      }
      return jobs;
    },
    close() {
      dynamo.destroy();
      sqs.destroy();
      rmSync(bodies, { recursive: true, force: true });
    },
  };
}

/** A valid send request; override any field. */
export function sendBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { from: 'Shop <orders@shop.example>', to: 'ann@example.com', subject: 'Your order', text: 'It ships today.', ...overrides };
}

/** Checks the error document shape shared by every 4xx and 5xx, and that nothing internal leaks. */
export function expectErrorDocument(answer: Answer, status: number, code?: string): void {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${answer.text}`);
  const error = answer.body?.error;
  if (typeof error?.code !== 'string' || typeof error?.message !== 'string') throw new Error(`not an error document: ${answer.text}`);
  if (code !== undefined && error.code !== code) throw new Error(`expected error code ${code}, got ${error.code}: ${answer.text}`);
  if (leaksInternals(answer.text)) throw new Error(`error body leaks internals: ${answer.text}`);
}

/** Whether a body holds a stack frame, a source path or the project's folder. */
export function leaksInternals(text: string): boolean {
  return /\\n\s+at \S|\n\s+at \S|node_modules\/|file:\/\/|\.ts:\d+:\d+/.test(text) || text.includes(process.cwd());
}

/** The fields named in a 400 answer's details. */
export function problemFields(answer: Answer): string[] {
  return ((answer.body?.error?.details ?? []) as { field: string }[]).map((p) => p.field);
}
