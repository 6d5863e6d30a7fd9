/**
 * Keys of the webhook delivery log: the partition of each delivery, one of
 * WEBHOOKS.deliveryShards per endpoint by a hash of the delivery id, and the source that a page
 * of the log merges (source-reader.ts): every shard, then the endpoint's partition from before
 * the log was sharded, where deliveries recorded then stay until they expire or are read.
 */
import { createHash } from 'node:crypto';
import { WEBHOOKS } from '../../topology.ts';
import type { FeedSource } from './feed-sources.ts';
import { shardOf } from './feed-keys.ts';

/** The partition of an endpoint's log before it was sharded: `<tenant>#<endpoint id>`. */
export function legacyDeliveryPartition(tenant: string, endpointId: string): string {
  return `${tenant}#${endpointId}`;
}

/** Shard `shard` of an endpoint's log: `<tenant>#<endpoint id>#<shard>`. */
export function deliveryShardPartition(tenant: string, endpointId: string, shard: number): string {
  return `${legacyDeliveryPartition(tenant, endpointId)}#${shard}`;
}

/** The partition that holds delivery `id`: always the same shard for the same id. */
export function deliveryPartition(tenant: string, endpointId: string, id: string): string {
  return deliveryShardPartition(tenant, endpointId, shardOf(id, WEBHOOKS.deliveryShards));
}

/** An endpoint's log, newest first by delivery id: its shards, then the partition from before them. */
export function deliveryLogSource(tableName: string, tenant: string, endpointId: string): FeedSource {
  const shards = Array.from({ length: WEBHOOKS.deliveryShards }, (_, shard) => deliveryShardPartition(tenant, endpointId, shard));
  return {
    name: 'webhookDeliveries',
    tableName,
    keyNames: ['pk', 'sk'],
    partitionName: 'pk',
    partitions: [...shards, legacyDeliveryPartition(tenant, endpointId)],
    sortName: 'sk',
    empty: false,
    idOf: (entry) => entry.sk ?? '',
  };
}

/** What a cursor of the log is bound to: the tenant, the endpoint and the number of shards. */
export function deliveryLogDigest(tenant: string, endpointId: string): string {
  return createHash('sha256')
    .update(JSON.stringify(['webhookDeliveries', tenant, endpointId, WEBHOOKS.deliveryShards]))
    .digest('base64url')
    .slice(0, 16);
}
