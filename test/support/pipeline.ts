/** mailroom's local runtime on the test run's DynamoDB Local and SQS emulator, and an API client for it. */
import { inject } from 'vitest';
import { queueDepth } from '../../lib/local/idle.ts';
import { startLocal, type LocalOptions, type LocalRuntime } from '../../lib/local/runtime.ts';
import { memoryLog } from './fakes/index.ts';
import { uniquePrefix } from './local-aws.ts';
import { waitFor } from './wait.ts';

/** Starts a runtime with its own tables and queues; retries after 1 s, 2 s, … */
export function startPipeline(options: Partial<LocalOptions> = {}): Promise<LocalRuntime> {
  return startLocal({
    port: 0,
    relay: 'capture',
    prefix: uniquePrefix(),
    dynamoEndpoint: inject('dynamoEndpoint'),
    sqsEndpoint: inject('sqsEndpoint'),
    log: memoryLog(),
    ...options,
    env: { MAILROOM_RETRY_BASE_SECONDS: '1', ...options.env },
  });
}

/**
 * Options of a runtime without pollers that can be stopped and started again as the same
 * installation: its data folder (which holds the dev key), and tables and queues under one prefix.
 */
export function restartableOptions(dataDir: string): LocalOptions & { prefix: string } {
  return {
    dataDir,
    port: 0,
    relay: 'capture',
    pollers: false,
    prefix: uniquePrefix(),
    dynamoEndpoint: inject('dynamoEndpoint'),
    sqsEndpoint: inject('sqsEndpoint'),
    log: memoryLog(),
  };
}

export interface ApiAnswer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Calls the runtime's HTTP API with its dev key. */
export async function call(
  runtime: LocalRuntime,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer> {
  const response = await fetch(`${runtime.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${runtime.apiKey}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/**
 * Waits until the runtime has handled everything it was given (LocalRuntime.idle): its queues
 * are empty and its events stream read to the end. What could still send, retry or count
 * something is done, so a test may then assert that something did not happen. Fails after
 * `timeoutMs` naming what the queues still hold.
 */
export async function settled(runtime: LocalRuntime, timeoutMs = 30_000): Promise<void> {
  try {
    await runtime.idle(AbortSignal.timeout(timeoutMs));
  } catch (error) {
    if ((error as Error)?.name !== 'TimeoutError') throw error;
    const queues = {
      send: runtime.queueUrl,
      bulk: runtime.bulkQueueUrl,
      export: runtime.exportQueueUrl,
      campaign: runtime.campaignQueueUrl,
      import: runtime.importQueueUrl,
      webhook: runtime.webhookQueueUrl,
    };
    const depths = Object.fromEntries(
      await Promise.all(Object.entries(queues).map(async ([name, url]) => [name, await queueDepth(runtime.sqs, url)] as const)),
    );
    throw new Error(`the runtime was still busy after ${timeoutMs} ms; its queues hold ${JSON.stringify(depths)}`, { cause: error });
  }
}

/** Polls GET /v1/messages/{id} until `done` holds; fails naming the status last seen. */
export async function waitForMessage(
  runtime: LocalRuntime,
  id: string,
  done: (message: ApiAnswer['body']) => boolean,
  timeoutMs = 20_000,
): Promise<ApiAnswer['body']> {
  return waitFor(async () => (await call(runtime, 'GET', `/v1/messages/${id}`)).body, done, {
    timeout: timeoutMs,
    message: `message ${id} to reach the expected state`,
    show: (body) => JSON.stringify({ status: body?.status, events: body?.events?.map((e: { type: string }) => e.type) }),
  });
}
