/** BatchWriteItem over any number of puts and deletes, with the retries DynamoDB asks for. */
import { BatchWriteItemCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { forEachLimited } from './concurrency.ts';
import { UnprocessedItemsError } from './errors.ts';

/** BatchWriteItem's limit of requests per call. */
export const BATCH_WRITE_MAX = 25;

/** A put of each item, as BatchWriteItem takes them. */
export function putRequests(items: readonly Record<string, AttributeValue>[]): WriteRequest[] {
  return items.map((Item) => ({ PutRequest: { Item } }));
}

/** Options of batchWriteAll. */
export interface BatchWriteOptions {
  /** Batches in flight at once; 4 by default. */
  concurrency?: number;
  /** Calls per batch before giving up on what stays unprocessed; 8 by default. */
  maxTries?: number;
  /** First pause before retrying unprocessed requests, doubled each time (with jitter); 25 ms by default. */
  baseDelayMs?: number;
}

/**
 * Writes every request to one table, 25 per call with a few calls in flight. Unprocessed
 * requests (throttling) are retried with exponential backoff; throws UnprocessedItemsError if
 * some remain after the last try, so that no write is lost without an error. The requests
 * must not name one key twice (DynamoDB refuses such a batch).
 */
export async function batchWriteAll(
  client: DynamoDBClient,
  tableName: string,
  requests: WriteRequest[],
  options: BatchWriteOptions = {},
): Promise<void> {
  await batchWriteTables(client, { [tableName]: requests }, options);
}

/**
 * batchWriteAll over several tables: one call carries the requests of all of them, 25 in all,
 * so that items of a few tables written together cost one request.
 */
export async function batchWriteTables(
  client: DynamoDBClient,
  requestsByTable: Record<string, WriteRequest[]>,
  options: BatchWriteOptions = {},
): Promise<void> {
  const all = Object.entries(requestsByTable).flatMap(([table, requests]) => requests.map((request) => [table, request] as const));
  const chunks: Record<string, WriteRequest[]>[] = [];
  for (let i = 0; i < all.length; i += BATCH_WRITE_MAX) {
    const chunk: Record<string, WriteRequest[]> = {};
    for (const [table, request] of all.slice(i, i + BATCH_WRITE_MAX)) (chunk[table] ??= []).push(request);
    chunks.push(chunk);
  }
  await forEachLimited(chunks, options.concurrency ?? 4, (chunk) => writeChunk(client, chunk, options));
}

async function writeChunk(client: DynamoDBClient, requests: Record<string, WriteRequest[]>, options: BatchWriteOptions): Promise<void> {
  const maxTries = options.maxTries ?? 8;
  const base = options.baseDelayMs ?? 25;
  let pending = requests;
  for (let tries = 1; Object.keys(pending).length > 0; tries++) {
    if (tries > maxTries) {
      throw new UnprocessedItemsError(
        'BatchWriteItem',
        Object.values(pending).reduce((sum, list) => sum + list.length, 0),
      );
    }
    // Jitter: parallel batches throttled together should not retry in step.
    if (tries > 1) await sleep(Math.round(base * 2 ** (tries - 2) * (0.5 + Math.random() / 2)));
    const result = await client.send(new BatchWriteItemCommand({ RequestItems: pending }));
    pending = Object.fromEntries(Object.entries(result.UnprocessedItems ?? {}).filter(([, list]) => list.length > 0));
  }
}
