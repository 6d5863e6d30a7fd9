/**
 * A tenant's suppressions in address order, a page at a time: the listing shards of the
 * `byTenant` index (suppression-keys.ts) read in parallel and merged (shard-merge.ts). The
 * cursor keeps a digest of the listing and each shard's position (0: not read yet, 1: read to
 * its end, or the address of the last entry taken, from which its key is made again), and is
 * checked strictly before it reaches DynamoDB.
 */
import { QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createHash } from 'node:crypto';
import { ValidationError } from '../../domain/errors.ts';
import type { Page } from '../../domain/suppression.ts';
import { SUPPRESSIONS } from '../../topology.ts';
import { checkLimit } from './cursor.ts';
import { fromItem, toItem } from './marshalling.ts';
import { ShardMerge, type ShardPosition, type ShardReader, type StartKey } from './shard-merge.ts';
import { BY_TENANT, entryStorage, listPartition, listShardOf } from './suppression-keys.ts';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const MAX_CURSOR_LENGTH = 8192;
/** Longer than any address mailroom accepts. */
const MAX_ADDRESS_LENGTH = 1024;

/**
 * The merge's order of an address: the merge takes the largest first, so this is the address's
 * UTF-8 bytes (the order DynamoDB sorts in) complemented, in hex, then `~`, which sorts after
 * every hex digit and so puts an address before the longer ones it starts.
 */
export function addressOrder(email: string): string {
  return [...Buffer.from(email, 'utf8')].map((byte) => (255 - byte).toString(16).padStart(2, '0')).join('') + '~';
}

function invalid(): ValidationError {
  return new ValidationError('The cursor is invalid.', [{ field: 'cursor', message: 'must be a cursor returned by the previous page' }]);
}

/** What a cursor is bound to: the tenant and the number of shards. */
function listingDigest(tenant: string): string {
  return createHash('sha256')
    .update(JSON.stringify(['suppressions', tenant, SUPPRESSIONS.listShards]))
    .digest('base64url')
    .slice(0, 16);
}

function encode(tenant: string, positions: readonly ShardPosition[]): string {
  const s = positions.map((position) => (position.kind === 'start' ? 0 : position.kind === 'done' ? 1 : (position.key.sk ?? '')));
  return Buffer.from(JSON.stringify({ q: listingDigest(tenant), s }), 'utf8').toString('base64url');
}

/** The shard positions of a cursor of `tenant`'s listing. Throws ValidationError (field `cursor`) for anything else. */
function decode(tenant: string, cursor: string): ShardPosition[] {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const { q, s } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { q?: unknown; s?: unknown };
  if (q !== listingDigest(tenant) || !Array.isArray(s) || s.length !== SUPPRESSIONS.listShards) throw invalid();
  return s.map((value: unknown, shard): ShardPosition => {
    if (value === 0) return { kind: 'start' };
    if (value === 1) return { kind: 'done' };
    // An address of another shard would start the Query outside its partition.
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ADDRESS_LENGTH || listShardOf(value) !== shard) {
      throw invalid();
    }
    return { kind: 'after', key: entryStorage(tenant, value) };
  });
}

/** Reads the listing shards of `tenant`, entries as unmarshalled items. */
function reader(client: DynamoDBClient, tableName: string, tenant: string): ShardReader<Record<string, unknown>> {
  return {
    shards: SUPPRESSIONS.listShards,
    read: async (shard, after, limit) => {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: BY_TENANT,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': 'listKey' },
          ExpressionAttributeValues: toItem({ ':p': listPartition(tenant, shard) }),
          Limit: limit,
          ...(after && { ExclusiveStartKey: toItem(after) }),
        }),
      );
      const entries = (page.Items ?? []).map(fromItem);
      return page.LastEvaluatedKey ? { entries, next: fromItem(page.LastEvaluatedKey) as StartKey } : { entries };
    },
    keyOf: (entry) => entryStorage(tenant, String(entry.sk)),
    orderOf: (entry) => addressOrder(String(entry.sk)),
  };
}

/**
 * The page of `tenant`'s entries (in address order) that `options.cursor` points at, each item
 * mapped. The index is read eventually consistent: an entry added a moment ago may be listed a
 * moment later. A malformed limit or cursor throws ValidationError.
 */
export async function suppressionPage<T>(
  client: DynamoDBClient,
  tableName: string,
  tenant: string,
  options: { limit: number; cursor?: string },
  map: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  checkLimit(options.limit);
  const positions =
    options.cursor === undefined
      ? Array.from({ length: SUPPRESSIONS.listShards }, () => ({ kind: 'start' as const }))
      : decode(tenant, options.cursor);
  const merge = new ShardMerge(reader(client, tableName, tenant), positions);
  const items = (await merge.take(options.limit)).map(map);
  return merge.done ? { items } : { items, cursor: encode(tenant, merge.positions()) };
}
