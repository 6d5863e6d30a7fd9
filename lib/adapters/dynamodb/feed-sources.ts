/**
 * Which key serves a listing of the activity feed, and the Query of each of its shards. One
 * filter leads (the first given of: recipient, campaign, template, an indexed status, tag);
 * without one, the messages table's `byTenant` index does (as for every listing of a tenant's
 * messages: tenantSource). Times (`after`, `before`) are always a range of the sort key. The
 * message items read afterwards are checked against every filter (domain/feed.ts), so the
 * others narrow the page down there.
 */
import type { QueryCommandInput } from '@aws-sdk/client-dynamodb';
import type { FeedFilter } from '../../domain/feed.ts';
import { FEED, TABLES } from '../../topology.ts';
import {
  STATUS_KEY,
  TENANT_AT,
  idOfLookupSortKey,
  isIndexedStatus,
  lookupPartition,
  statusPartition,
  tenantPartition,
  type LookupKind,
} from './feed-keys.ts';
import { toItem } from './marshalling.ts';
import type { StartKey } from './shard-merge.ts';

const [BY_TENANT, BY_STATUS] = TABLES.messages.indexes.map((index) => index.name) as [string, string];

/** A key (table or index) and the partitions of one listing in it, one per shard. */
export interface FeedSource {
  /** Names the key in a cursor's digest. */
  name: 'byTenant' | 'byStatus' | 'webhookDeliveries' | LookupKind;
  tableName: string;
  indexName?: string;
  /** The attributes of a start key, in the order a cursor keeps them: the table's key, then the index's. */
  keyNames: readonly string[];
  partitionName: string;
  /** The partition of each shard. */
  partitions: string[];
  sortName: string;
  /** The sort key's range, both ends included; `undefined` ends are open. */
  low?: string;
  high?: string;
  /** True when the times leave nothing to list (`after` and `before` 1 ms apart). */
  empty: boolean;
  /** The message id of an entry. */
  idOf(entry: StartKey): string;
}

/** A millisecond later (`step` 1) or earlier (-1) than an ISO time. */
function shifted(iso: string, step: 1 | -1): string {
  return new Date(Date.parse(iso) + step).toISOString();
}

/** The listing's source: the first filter that a key serves, else the tenant's messages. */
export function feedSource(tables: { messages: string; feed: string }, tenant: string, filter: FeedFilter): FeedSource {
  // after and before are exclusive; the sort key's range includes its ends.
  const from = filter.after === undefined ? undefined : shifted(filter.after, 1);
  const to = filter.before === undefined ? undefined : shifted(filter.before, -1);
  const empty = from !== undefined && to !== undefined && from > to;
  const shards = Array.from({ length: FEED.shards }, (_, shard) => shard);
  const lookup = (kind: LookupKind, value: string): FeedSource => ({
    name: kind,
    tableName: tables.feed,
    keyNames: ['pk', 'sk'],
    partitionName: 'pk',
    partitions: shards.map((shard) => lookupPartition(tenant, kind, value, shard)),
    sortName: 'sk',
    // `<createdAt>#<id>`: any entry at `to` sorts below `<to>#~` (ids are letters and digits).
    ...(from !== undefined && { low: from }),
    ...(to !== undefined && { high: `${to}#~` }),
    empty,
    idOf: (entry) => idOfLookupSortKey(entry.sk ?? ''),
  });
  if (filter.recipient !== undefined) return lookup('to', filter.recipient);
  if (filter.campaign !== undefined) return lookup('campaign', filter.campaign);
  if (filter.template !== undefined) return lookup('template', filter.template);
  const { status } = filter;
  if (status !== undefined && isIndexedStatus(status)) {
    return {
      name: 'byStatus',
      tableName: tables.messages,
      indexName: BY_STATUS,
      keyNames: ['pk', 'sk', STATUS_KEY, TENANT_AT],
      partitionName: STATUS_KEY,
      partitions: shards.map((shard) => statusPartition(status, shard)),
      sortName: TENANT_AT,
      // Every tenant's messages share these partitions: the range keeps to this tenant's.
      low: `${tenant}#${from ?? ''}`,
      high: `${tenant}#${to ?? '~'}`,
      empty,
      idOf: (entry) => entry.pk ?? '',
    };
  }
  if (filter.tag !== undefined) return lookup('tag', `${filter.tag.name}=${filter.tag.value}`);
  return {
    ...tenantSource(tables.messages, tenant, { ...(from !== undefined && { low: from }), ...(to !== undefined && { high: to }) }),
    empty,
  };
}

/**
 * The tenant's messages in the messages table's `byTenant` index, created from `range.low` to
 * `range.high` (ISO times, both included; open when absent): its FEED.shards write shards
 * (`<tenant>#<shard>`, feed-keys.ts), then the bare tenant, where messages written before the
 * index was sharded stay until they expire.
 */
export function tenantSource(messagesTable: string, tenant: string, range: { low?: string; high?: string } = {}): FeedSource {
  const shards = Array.from({ length: FEED.shards }, (_, shard) => tenantPartition(tenant, shard));
  return {
    name: 'byTenant',
    tableName: messagesTable,
    indexName: BY_TENANT,
    keyNames: ['pk', 'sk', 'tenant', 'createdAt'],
    partitionName: 'tenant',
    partitions: [...shards, tenant],
    sortName: 'createdAt',
    ...(range.low !== undefined && { low: range.low }),
    ...(range.high !== undefined && { high: range.high }),
    empty: false,
    idOf: (entry) => entry.pk ?? '',
  };
}

/** The Query of shard `shard` of a source from `after`, newest first (oldest first with `oldestFirst`). */
export function shardQuery(
  source: FeedSource,
  shard: number,
  after: StartKey | undefined,
  limit: number,
  oldestFirst = false,
): QueryCommandInput {
  const names: Record<string, string> = { '#p': source.partitionName, '#s': source.sortName };
  const values: Record<string, string> = { ':p': source.partitions[shard] ?? '' };
  let range = '';
  if (source.low !== undefined && source.high !== undefined) {
    range = ' AND #s BETWEEN :low AND :high';
    Object.assign(values, { ':low': source.low, ':high': source.high });
  } else if (source.low !== undefined) {
    range = ' AND #s >= :low';
    values[':low'] = source.low;
  } else if (source.high !== undefined) {
    range = ' AND #s <= :high';
    values[':high'] = source.high;
  } else {
    delete names['#s'];
  }
  return {
    TableName: source.tableName,
    ...(source.indexName && { IndexName: source.indexName }),
    KeyConditionExpression: `#p = :p${range}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: toItem(values),
    ScanIndexForward: oldestFirst,
    Limit: limit,
    ...(after && { ExclusiveStartKey: toItem(after) }),
  };
}

/** Whether `key` is a start key of shard `shard` of the source: its attributes, its partition, its range. */
export function belongsTo(source: FeedSource, shard: number, key: StartKey): boolean {
  const sort = key[source.sortName];
  return (
    key[source.partitionName] === source.partitions[shard] &&
    sort !== undefined &&
    (source.low === undefined || sort >= source.low) &&
    (source.high === undefined || sort <= source.high)
  );
}
