/** BatchGetItem over any number of keys, with the retries DynamoDB asks for. */
import { BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnprocessedItemsError } from './errors.ts';
import { fromItem, type Item } from './marshalling.ts';

/** BatchGetItem's limit of keys per request. */
export const BATCH_GET_MAX = 100;
const MAX_TRIES = 8;

/** Options of batchGetAll. */
export interface BatchGetOptions {
  consistentRead?: boolean;
  /** First pause before retrying unprocessed keys, doubled each time; 25 ms by default. */
  baseDelayMs?: number;
}

/**
 * Reads the items with the given keys from one table (in any order; missing ones are absent).
 * Unprocessed keys (throttling, 16 MB responses) are retried with exponential backoff;
 * throws UnprocessedItemsError if some remain after the last try.
 */
export async function batchGetAll(
  client: DynamoDBClient,
  tableName: string,
  keys: Item[],
  options: BatchGetOptions = {},
): Promise<Record<string, unknown>[]> {
  const chunks: Item[][] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_MAX) chunks.push(keys.slice(i, i + BATCH_GET_MAX));
  const pages = await Promise.all(chunks.map((chunk) => getChunk(client, tableName, chunk, options)));
  return pages.flat();
}

async function getChunk(
  client: DynamoDBClient,
  tableName: string,
  keys: Item[],
  options: BatchGetOptions,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let pending = keys;
  for (let tries = 1; pending.length > 0; tries++) {
    if (tries > MAX_TRIES) throw new UnprocessedItemsError('BatchGetItem', pending.length);
    if (tries > 1) await sleep((options.baseDelayMs ?? 25) * 2 ** (tries - 2));
    const result = await client.send(
      new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: options.consistentRead } } }),
    );
    for (const item of result.Responses?.[tableName] ?? []) items.push(fromItem(item));
    pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
  }
  return items;
}
