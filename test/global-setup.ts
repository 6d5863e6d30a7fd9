/**
 * Starts the local AWS parts once for the whole run: DynamoDB Local (in memory, its database
 * that of EMULATOR_CREDENTIALS, which every test client signs with) and the SQS emulator. Tests create their own tables and queues with unique prefixes.
 *
 * Vitest runs a project's global setup once per project (integration, faults): the first
 * one starts the parts, the others share them, and the last teardown stops them. Only the
 * projects that name this file start Java at all.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { EMULATOR_CREDENTIALS } from '../lib/local/aws.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../lib/local/dynamodb-local.ts';
import { startSqsLocal, type SqsLocal } from '../lib/local/sqs-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sqsEndpoint: string;
  }
}

interface LocalAws {
  dynamo: DynamoDbLocal;
  sqs: SqsLocal;
}

interface Shared {
  /** Projects whose setup ran and whose teardown has not. */
  users: number;
  started: Promise<LocalAws>;
}

// Each project loads this module on its own, so the shared state lives on the process.
const KEY = Symbol.for('mailroom.test.localAws');
const processState = globalThis as typeof globalThis & { [KEY]?: Shared };

async function start(): Promise<LocalAws> {
  const tmp = join(process.cwd(), '.tmp');
  mkdirSync(tmp, { recursive: true });
  const [dynamo, sqs] = await Promise.all([
    startDynamoDbLocal({ credentials: EMULATOR_CREDENTIALS, tmpDir: join(tmp, 'dynamodb') }),
    startSqsLocal(),
  ]);
  return { dynamo, sqs };
}

export async function setup(project: TestProject): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const shared = (processState[KEY] ??= { users: 0, started: start() });
  shared.users++;
  const { dynamo, sqs } = await shared.started;
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sqsEndpoint', sqs.endpoint);
}

export async function teardown(): Promise<void> {
  const shared = processState[KEY];
  if (!shared || --shared.users > 0) return;
  delete processState[KEY];
  const { dynamo, sqs } = await shared.started;
  await Promise.all([dynamo.stop(), sqs.stop()]);
}
