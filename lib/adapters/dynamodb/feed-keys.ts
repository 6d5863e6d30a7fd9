/**
 * Keys of the activity feed (GET /v1/messages): the write shard of a message, the attributes
 * that put a message item in the messages table's `byTenant` and `byStatus` indexes, and the
 * partition keys of the feed table's lookup entries. Every key is made here, by writers and readers alike.
 */
import { createHash } from 'node:crypto';
import { FEED } from '../../topology.ts';

/** A filter served by lookup entries in the feed table, and the value it names. */
export type LookupKind = 'to' | 'tag' | 'campaign' | 'template';

/** Attribute of a message item: `<tenant>#<createdAt>`, the sort key of `byStatus`. Set once. */
export const TENANT_AT = 'tenantAt';
/** Attribute of a message item: `<status>#<shard>` while its status is indexed; the partition key of `byStatus`. */
export const STATUS_KEY = 'statusKey';

/**
 * The write shard of message `id`, 0 to `shards` - 1: FNV-1a of the id. Ids are ULIDs or
 * digests, so their hashes spread evenly; the same id always lands on the same shard.
 */
export function shardOf(id: string, shards: number = FEED.shards): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

/**
 * The `tenant` attribute of a message item: the partition of the messages table's `byTenant`
 * index, `<tenant>#<shard>` in the message's write shard, so that one tenant's messages are
 * spread over FEED.shards partitions. Items written before the index was sharded hold the bare
 * tenant (read as one more shard, feed-sources.ts).
 */
export function tenantKeyOf(tenant: string, id: string): string {
  return tenantPartition(tenant, shardOf(id));
}

/** Partition `shard` of `tenant`'s messages in the `byTenant` index. */
export function tenantPartition(tenant: string, shard: number): string {
  return `${tenant}#${shard}`;
}

/** The tenant of a message item's `tenant` attribute, sharded or not (tenant ids hold no `#`). */
export function tenantOfKey(value: string): string {
  const hash = value.indexOf('#');
  return hash < 0 ? value : value.slice(0, hash);
}

/** Whether messages of `status` are kept in the `byStatus` index. */
export function isIndexedStatus(status: string): boolean {
  return FEED.indexedStatuses.includes(status);
}

/** The `byStatus` partition of message `id` in `status`; undefined when that status is not indexed. */
export function statusKeyOf(id: string, status: string): string | undefined {
  return isIndexedStatus(status) ? statusPartition(status, shardOf(id)) : undefined;
}

/** Partition `shard` of `status` in the `byStatus` index (every tenant's messages; `tenantAt` tells them apart). */
export function statusPartition(status: string, shard: number): string {
  return `${status}#${shard}`;
}

/** The `tenantAt` of a message. Tenant ids hold no `#`, so one tenant's values never run into another's. */
export function tenantAtOf(tenant: string, createdAt: string): string {
  return `${tenant}#${createdAt}`;
}

/**
 * Partition `shard` of the lookup entries of `tenant`'s messages with `value` for `kind`. The
 * value goes in as a digest (128 bits of SHA-256): keys stay small whatever it is (a tag value
 * of 256 characters, an address of 320), and addresses are not copied into another table's keys.
 */
export function lookupPartition(tenant: string, kind: LookupKind, value: string, shard: number): string {
  const digest = createHash('sha256').update(`${kind}\u0000${value}`).digest('base64url').slice(0, 22);
  return `${tenant}#${kind}#${digest}#${shard}`;
}

/** The sort key of a lookup entry: time-ordered, unique per message. */
export function lookupSortKey(createdAt: string, id: string): string {
  return `${createdAt}#${id}`;
}

/** The message id of a lookup entry's sort key. */
export function idOfLookupSortKey(sk: string): string {
  return sk.slice(sk.lastIndexOf('#') + 1);
}

/** The part of an UpdateItem that keeps `statusKey` in step with a new status. */
export interface StatusKeyWrite {
  /** A clause for the SET list, when the status is indexed. */
  set?: string;
  /** A clause for the REMOVE list, when it is not (removing an absent attribute writes no index entry). */
  remove?: string;
  names: Record<string, string>;
  values: Record<string, string>;
}

/** What a write that gives message `id` the status `status` does to its `statusKey` (names `#statusKey`, `:statusKey`). */
export function statusKeyWrite(id: string, status: string): StatusKeyWrite {
  const key = statusKeyOf(id, status);
  const names = { '#statusKey': STATUS_KEY };
  return key === undefined
    ? { remove: '#statusKey', names, values: {} }
    : { set: '#statusKey = :statusKey', names, values: { ':statusKey': key } };
}
