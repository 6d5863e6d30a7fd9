/** Clients and fresh tables/queues on the local AWS parts started by test/global-setup.ts. */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { inject } from 'vitest';
import { streamFilter, toStreamRecord } from '../../lib/local/stream-poller.ts';
import type { StreamSourceDef } from '../../lib/topology.ts';
import { localClientConfig } from '../../lib/local/aws.ts';
import { createTables, type StreamArns, localTableNames } from '../../lib/local/create-tables.ts';
import { createSendQueues, type SendQueues } from '../../lib/local/sqs-local.ts';
import type { TableNames } from '../../lib/config.ts';

export function dynamoClient(): DynamoDBClient {
  return new DynamoDBClient(localClientConfig(inject('dynamoEndpoint')));
}

export function sqsClient(): SQSClient {
  return new SQSClient(localClientConfig(inject('sqsEndpoint')));
}

/**
 * The records of a table's stream about one item partition (`pk`), from the stream's start,
 * as the stream source of that table hands them to the stream function (its filter applied).
 */
export async function partitionRecords(streamArn: string, source: StreamSourceDef, pk: string): Promise<DynamoDBRecord[]> {
  const streams = new DynamoDBStreamsClient(localClientConfig(inject('dynamoEndpoint')));
  try {
    const records: DynamoDBRecord[] = [];
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of described.StreamDescription?.Shards ?? []) {
      const iterator = await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      let next = iterator.ShardIterator;
      while (next) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: next }));
        const mine = (page.Records ?? []).filter((r) => r.dynamodb?.Keys?.pk?.S === pk);
        records.push(...mine.map((r) => toStreamRecord(r, streamArn)).filter(streamFilter(source)));
        // An open shard always has a next iterator: stop at the first empty page.
        next = page.Records?.length ? page.NextShardIterator : undefined;
      }
    }
    return records;
  } finally {
    streams.destroy();
  }
}

/** A unique prefix so that test files never share tables or queues. */
export function uniquePrefix(): string {
  return `t${randomUUID().slice(0, 8)}`;
}

/** Creates a fresh set of mailroom tables. */
export async function freshTables(client: DynamoDBClient): Promise<TableNames & StreamArns> {
  const names = localTableNames(uniquePrefix());
  return { ...names, ...(await createTables(client, names)) };
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
