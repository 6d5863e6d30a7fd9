/**
 * Starts the local AWS parts once for the whole run: DynamoDB Local (in memory) and the
 * SQS emulator. Tests create their own tables and queues with unique prefixes.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type DynamoDbLocal } from '../lib/local/dynamodb-local.ts';
import { startSqsLocal, type SqsLocal } from '../lib/local/sqs-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sqsEndpoint: string;
  }
}

let dynamo: DynamoDbLocal | undefined;
let sqs: SqsLocal | undefined;

export async function setup(project: TestProject): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const tmp = join(process.cwd(), '.tmp');
  mkdirSync(tmp, { recursive: true });
  [dynamo, sqs] = await Promise.all([startDynamoDbLocal({ tmpDir: join(tmp, 'dynamodb') }), startSqsLocal()]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sqsEndpoint', sqs.endpoint);
}

export async function teardown(): Promise<void> {
  await Promise.all([dynamo?.stop(), sqs?.stop()]);
}
