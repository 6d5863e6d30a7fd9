/** Clients and fresh tables/queues on the local AWS parts started by test/global-setup.ts. */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import { localClientConfig } from '../../lib/local/aws.ts';
import { createTables, localTableNames } from '../../lib/local/create-tables.ts';
import { createSendQueues, type SendQueues } from '../../lib/local/sqs-local.ts';
import type { TableNames } from '../../lib/config.ts';

export function dynamoClient(): DynamoDBClient {
  return new DynamoDBClient(localClientConfig(inject('dynamoEndpoint')));
}

export function sqsClient(): SQSClient {
  return new SQSClient(localClientConfig(inject('sqsEndpoint')));
}

/** A unique prefix so that test files never share tables or queues. */
export function uniquePrefix(): string {
  return `t${randomUUID().slice(0, 8)}`;
}

/** Creates a fresh set of mailroom tables. */
export async function freshTables(client: DynamoDBClient): Promise<TableNames & { eventsStreamArn: string }> {
  const names = localTableNames(uniquePrefix());
  const { eventsStreamArn } = await createTables(client, names);
  return { ...names, eventsStreamArn };
}

/** Creates a fresh send queue and DLQ. */
export function freshQueues(client: SQSClient, maxReceiveCount?: number): Promise<SendQueues> {
  return createSendQueues(client, uniquePrefix(), maxReceiveCount);
}

/**
 * The environment of an `npx mailroom` process run against the test run's emulators: their
 * credentials, and a data folder without local mode's key (which the commands would otherwise
 * prefer for an endpoint on this machine).
 */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    MAILROOM_DATA_DIR: join('.tmp', 'not-a-data-folder'),
    ...extra,
  };
}
