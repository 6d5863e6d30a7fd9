/**
 * Keys of the suppressions table. Each entry is an item of its own, `pk` =
 * `<tenant>#<digest of the address>`, `sk` = the address, so that the checks at acceptance and
 * before sending (GetItem, BatchGetItem) read a new partition for each recipient rather than one
 * per tenant. A tenant's entries are listed through the `byTenant` index: `listKey` =
 * `<tenant>#<shard>`, the shard picked from the same digest, sorted by address (`sk`).
 *
 * Entries of the layout before (`pk` = tenant, `sk` = address, no `listKey`) are still checked,
 * though not listed, until suppression-migration.ts has moved them all and left MIGRATED_MARKER.
 */
import { SUPPRESSIONS, TABLES } from '../../topology.ts';
import { addressDigest, addressPartition } from './address-partition.ts';
import { shardOf } from './feed-keys.ts';
import { toItem } from './marshalling.ts';

/** Attribute of an entry: its listing partition, the partition key of the `byTenant` index. */
export const LIST_KEY = 'listKey';

/** The index that lists a tenant's entries. */
export const BY_TENANT = TABLES.suppressions.indexes[0].name;

/** The partition of `tenant`'s entry for `email`. Tenant ids hold no `#`, so no key of one tenant is another's. */
export const entryPartition = addressPartition;

/** The key of `tenant`'s entry for `email`, marshalled. */
export function entryKey(tenant: string, email: string) {
  return toItem({ pk: entryPartition(tenant, email), sk: email });
}

/** The listing shard of an address, 0 to SUPPRESSIONS.listShards - 1. */
export function listShardOf(email: string): number {
  return shardOf(addressDigest(email), SUPPRESSIONS.listShards);
}

/** Listing partition `shard` of `tenant`. */
export function listPartition(tenant: string, shard: number): string {
  return `${tenant}#${shard}`;
}

/** The storage attributes of `tenant`'s entry for `email`: its key and its listing partition (`listKey`, LIST_KEY). */
export function entryStorage(tenant: string, email: string): { pk: string; sk: string; listKey: string } {
  return { pk: entryPartition(tenant, email), sk: email, listKey: listPartition(tenant, listShardOf(email)) };
}

/** The key of `tenant`'s entry for `email` in the layout before (`pk` = tenant), marshalled. */
export function legacyEntryKey(tenant: string, email: string) {
  return toItem({ pk: tenant, sk: email });
}

/** The item a completed migration leaves: from then on, no entry of the layout before is read. */
export const MIGRATED_MARKER = { pk: 'layout#suppressions', sk: 'migrated' } as const;
