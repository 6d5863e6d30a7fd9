/** The local stream poller gathers a batch over its batching window and filters records, as Lambda's event source mapping does. */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { localClientConfig } from '../../lib/local/aws.ts';
import { startStreamPoller, streamFilter } from '../../lib/local/stream-poller.ts';
import { STREAM_SOURCES } from '../../lib/topology.ts';
import { dynamoClient, freshTables } from '../support/local-aws.ts';
import { waitFor } from '../support/wait.ts';

const client = dynamoClient();
const streams = new DynamoDBStreamsClient(localClientConfig(inject('dynamoEndpoint')));
afterAll(() => {
  client.destroy();
  streams.destroy();
});

async function run(options: { batchSize: number; maxBatchingWindowMs: number; writes: number; gapMs: number }): Promise<number[]> {
  const tables = await freshTables(client);
  const batches: number[] = [];
  const poller = startStreamPoller({
    client: streams,
    streamArn: tables.eventsStreamArn,
    handler: async (event: DynamoDBStreamEvent) => {
      batches.push(event.Records.length);
      return { batchItemFailures: [] };
    },
    batchSize: options.batchSize,
    maxBatchingWindowMs: options.maxBatchingWindowMs,
    timeoutSeconds: 30,
    retryAttempts: 1,
  });
  try {
    // The writes are spread over time on purpose: the batching window is what is tested.
    for (let i = 0; i < options.writes; i++) {
      await client.send(new PutItemCommand({ TableName: tables.events, Item: marshall({ pk: `m${i}`, sk: 'e', n: i }) }));
      await sleep(options.gapMs);
    }
    await waitFor(
      () => batches.reduce((a, b) => a + b, 0),
      (handled) => handled >= options.writes,
      { timeout: 15_000, message: `the handler to get all ${options.writes} records` },
    );
  } finally {
    await poller.stop();
  }
  return batches;
}

describe('the local stream poller', () => {
  it('waits up to its batching window to fill a batch, and never passes the batch size', async () => {
    // Six records written over about 600 ms arrive in one batch with a 3-second window.
    expect(await run({ batchSize: 100, maxBatchingWindowMs: 3000, writes: 6, gapMs: 100 })).toEqual([6]);
    // With a batch size of 4 the window ends early once 4 are read, and the rest follow.
    const capped = await run({ batchSize: 4, maxBatchingWindowMs: 3000, writes: 6, gapMs: 50 });
    expect(capped.reduce((a, b) => a + b, 0)).toBe(6);
    expect(Math.max(...capped)).toBeLessThanOrEqual(4);
    expect(capped[0]).toBe(4);
  }, 60_000);

  it('hands over only the records its filter passes, a batch filling with those, as Lambda filters before batching', async () => {
    const tables = await freshTables(client);
    const batches: number[][] = [];
    const poller = startStreamPoller({
      client: streams,
      streamArn: tables.messagesStreamArn,
      handler: async (event: DynamoDBStreamEvent) => {
        batches.push(event.Records.map((record) => Number(record.dynamodb?.NewImage?.n?.N)));
        return { batchItemFailures: [] };
      },
      filter: streamFilter(STREAM_SOURCES.find((source) => source.table === 'messages')!),
      batchSize: 3,
      maxBatchingWindowMs: 3000,
      timeoutSeconds: 30,
      retryAttempts: 1,
    });
    try {
      // Message items (`#`) pass; body items (`b`) and items holding a lease do not.
      for (let i = 0; i < 6; i++) {
        const item = { pk: `m${i}`, sk: '#', n: i, ...(i % 3 === 2 && { leaseUntil: 1 }) };
        await client.send(new PutItemCommand({ TableName: tables.messages, Item: marshall(item) }));
        await client.send(new PutItemCommand({ TableName: tables.messages, Item: marshall({ pk: `m${i}`, sk: 'b', n: i }) }));
      }
      await poller.caughtUp();
      // Four pass, in batches of three passing records: the first fills although 3 records were read first.
      expect(batches).toEqual([[0, 1, 3], [4]]);
    } finally {
      await poller.stop();
    }
  }, 60_000);

  it('says when it has read the stream to its end, and once it stops', async () => {
    const tables = await freshTables(client);
    const handled: number[] = [];
    const poller = startStreamPoller({
      client: streams,
      streamArn: tables.eventsStreamArn,
      handler: async (event: DynamoDBStreamEvent) => {
        handled.push(...event.Records.map((record) => Number(record.dynamodb?.NewImage?.n?.N)));
        return { batchItemFailures: [] };
      },
      batchSize: 2,
      timeoutSeconds: 30,
      retryAttempts: 1,
    });
    try {
      for (let i = 0; i < 5; i++) {
        await client.send(new PutItemCommand({ TableName: tables.events, Item: marshall({ pk: `m${i}`, sk: 'e', n: i }) }));
      }
      // Three batches of at most two: caught up only after the last of them.
      await poller.caughtUp();
      expect(handled).toEqual([0, 1, 2, 3, 4]);
    } finally {
      await poller.stop();
    }
    await poller.caughtUp();
  }, 60_000);
});
