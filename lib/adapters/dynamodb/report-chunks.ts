/**
 * How a run of stream events becomes one transaction on the reports table: the counters of
 * all its events summed per item (one ADD per counter item touched), plus the chunk marker
 * that records which events were counted. A chunk adds to one write shard of each item, picked
 * from its first event's id. See report-store.ts for the item layout.
 */
import { createHash } from 'node:crypto';
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { addAmounts, linkDigest, type CounterIncrement } from '../../domain/report.ts';
import { MAX_WINDOW_HOURS } from '../../domain/reputation.ts';
import type { EventIncrements } from '../../ports/report-store.ts';
import { REPORTS } from '../../topology.ts';
import { shardOf } from './feed-keys.ts';
import { expiryAfter, toItem } from './marshalling.ts';

/** Attribute prefix of a sum by currency: `value_EUR`. */
export const AMOUNT_PREFIX = 'value_';
/** Not a dimension the API can name (those are `all` or `<kind>:<value>`). */
const HOURLY = 'hourly';
const HOURLY_KEEP_DAYS = MAX_WINDOW_HOURS / 24 + 1;
/** Key prefix of chunk markers. */
export const CHUNK_PREFIX = 'chunk#';
/** DynamoDB's limit on the actions of one transaction: the marker and the counter items. */
export const MAX_TRANSACTION_ACTIONS = 100;
/** Events per chunk at most, which keeps the marker near 17 KB (an item may hold 400 KB). */
export const MAX_CHUNK_EVENTS = 1000;

/**
 * Partition key of write shard `shard` of a tenant's counters in one dimension. The shard comes
 * before the dimension: a dimension starts with a letter (`all`, `tag:…`), so no key of this
 * layout is ever the key of the unsharded layout before it (`<tenant>#<dimension>`), whatever
 * the dimension's value holds.
 */
export function counterPk(tenant: string, dimension: string, shard: number): string {
  return `${tenant}#${shard}#${dimension}`;
}

/** Partition key of write shard `shard` of a tenant's hourly totals. */
export function hourlyPk(tenant: string, shard: number): string {
  return counterPk(tenant, HOURLY, shard);
}

/**
 * The partitions a read of a tenant's counters in one dimension sums: every write shard, then
 * the item written before counters were sharded (`<tenant>#<dimension>`), never written again.
 */
export function counterPartitions(tenant: string, dimension: string): string[] {
  const shards = Array.from({ length: REPORTS.shards }, (_, shard) => counterPk(tenant, dimension, shard));
  return [...shards, `${tenant}#${dimension}`];
}

/**
 * Partition key of write shard `shard` of the link totals of a tenant's campaign; the sort key
 * is the link's digest. `links:` is no dimension's prefix, so no counter key is ever this one.
 */
export function linkPk(tenant: string, campaign: string, shard: number): string {
  return counterPk(tenant, `links:${campaign}`, shard);
}

/** The partitions a read of a campaign's link totals sums: every write shard (link totals were sharded from the start). */
export function linkPartitions(tenant: string, campaign: string): string[] {
  return Array.from({ length: REPORTS.shards }, (_, shard) => linkPk(tenant, campaign, shard));
}

/** The partitions a read of a tenant's hourly totals sums, as counterPartitions. */
export function hourlyPartitions(tenant: string): string[] {
  return counterPartitions(tenant, HOURLY);
}

/** The write shard of the counters a chunk (by its first event's id) or an increment (by its key) adds to. */
export function counterShard(id: string): number {
  return shardOf(id, REPORTS.shards);
}

/** Expiry of an hourly item: a day after the longest window it can be read in. */
export function hourlyExpiry(hour: string): number {
  return expiryAfter(`${hour}:00:00.000Z`, HOURLY_KEEP_DAYS);
}

/**
 * A short stand-in for an event id in chunk markers: 96 bits of its SHA-256, base64url
 * (16 characters). A marker lists up to a thousand events, and the ids themselves
 * (`<messageId>/<type>/<recipient>/<attempt>`, often 80 bytes) would make it cost more write
 * units than the counters it guards.
 */
export function eventDigest(id: string): string {
  return createHash('sha256').update(id).digest('base64url').slice(0, 16);
}

/** One counter item of a chunk, with everything the chunk adds to it. */
interface SummedItem {
  pk: string;
  sk: string;
  counters: Map<string, number>;
  amounts: Record<string, number>;
  /** For hourly items: set when the item is new. */
  expiresAt?: number;
  /** For the URL item of a link: the URL, set when the item is new. */
  url?: string;
}

/** A run of consecutive events that fits one transaction. */
export interface Chunk {
  /** Index of the entry after the chunk's last. */
  end: number;
  /** The increments the chunk sums (keyed by their event's id); the others are applied one by one. */
  summed: CounterIncrement[];
  /** The others: unique counts, idempotent by their own keys. */
  single: CounterIncrement[];
  items: SummedItem[];
}

/** Whether an increment is counted with its event's chunk (rather than by its own key). */
function summedWithEvent(entry: EventIncrements, increment: CounterIncrement): boolean {
  return increment.key === entry.id;
}

/** Sort key suffix of the item beside a link's totals that holds its URL. */
export const LINK_URL_SUFFIX = '#url';

/** The key of one counter item, or with `url` of the item that holds a link's URL (no counters). */
interface ItemKey {
  pk: string;
  sk: string;
  hourly: boolean;
  url?: string;
}

/** Keys of the items an increment adds to, in write shard `shard`. */
function itemKeys(increment: CounterIncrement, shard: number): ItemKey[] {
  const keys: ItemKey[] = [...new Set(increment.dimensions)].map((dimension) => ({
    pk: counterPk(increment.tenant, dimension, shard),
    sk: increment.day,
    hourly: false,
  }));
  if (increment.hour) keys.push({ pk: hourlyPk(increment.tenant, shard), sk: increment.hour, hourly: true });
  const { link } = increment;
  if (link) {
    const pk = linkPk(increment.tenant, link.campaign, shard);
    const digest = linkDigest(link.url);
    keys.push({ pk, sk: digest, hourly: false });
    if (link.keepUrl) keys.push({ pk, sk: `${digest}${LINK_URL_SUFFIX}`, hourly: false, url: link.url });
  }
  return keys;
}

/**
 * Adds an increment to the sums of the items it counts in, in write shard `shard` (each counter
 * once per item; the hourly totals hold counts only).
 */
function addToItems(items: Map<string, SummedItem>, increment: CounterIncrement, shard: number): void {
  const names = [...new Set(increment.counters)];
  for (const key of itemKeys(increment, shard)) {
    const id = `${key.pk}\n${key.sk}`;
    const item = items.get(id) ?? {
      pk: key.pk,
      sk: key.sk,
      counters: new Map(),
      amounts: {},
      ...(key.hourly && { expiresAt: hourlyExpiry(key.sk) }),
      ...(key.url !== undefined && { url: key.url }),
    };
    items.set(id, item);
    if (key.url !== undefined) continue;
    for (const name of names) item.counters.set(name, (item.counters.get(name) ?? 0) + 1);
    if (!key.hourly) addAmounts(item.amounts, increment.amounts);
  }
}

/** The counter items of one increment with what it adds to each (an increment applied on its own, sharded by its key). */
export function incrementItems(increment: CounterIncrement): SummedItem[] {
  const items = new Map<string, SummedItem>();
  addToItems(items, increment, counterShard(increment.key));
  return [...items.values()];
}

/**
 * The longest run of entries from `from` whose summed counter items fit one transaction
 * beside the marker (at least one entry), with those sums, all in the write shard of the
 * entry at `from`: a chunk is counted once (its marker), so which shard holds it matters only
 * to spread the writes, and one shard per chunk keeps them at one per counter item.
 */
export function cutChunk(batch: EventIncrements[], from: number): Chunk {
  const items = new Map<string, SummedItem>();
  const chunk: Chunk = { end: from, summed: [], single: [], items: [] };
  const shard = counterShard(batch[from]?.id ?? '');
  for (let i = from; i < batch.length && i - from < MAX_CHUNK_EVENTS; i++) {
    const entry = batch[i]!;
    const summed = entry.increments.filter((increment) => summedWithEvent(entry, increment));
    const fresh = new Set(
      summed
        .flatMap((increment) => itemKeys(increment, shard))
        .map((key) => `${key.pk}\n${key.sk}`)
        .filter((key) => !items.has(key)),
    );
    if (i > from && items.size + fresh.size + 1 > MAX_TRANSACTION_ACTIONS) break;
    for (const increment of summed) addToItems(items, increment, shard);
    chunk.summed.push(...summed);
    chunk.single.push(...entry.increments.filter((increment) => !summedWithEvent(entry, increment)));
    chunk.end = i + 1;
  }
  chunk.items = [...items.values()];
  return chunk;
}

/** The ADD (and for hourly items the expiry) of a summed item, as a transaction action. */
export function itemWrite(tableName: string, item: SummedItem): TransactWriteItem {
  const counters = [...item.counters];
  const amounts = Object.entries(item.amounts);
  const adds = [...counters.map((_, i) => `#c${i} :c${i}`), ...amounts.map((_, i) => `#a${i} :a${i}`)];
  const expiry = item.expiresAt !== undefined;
  const url = item.url !== undefined;
  const sets = [
    ...(expiry ? ['#expiresAt = if_not_exists(#expiresAt, :expiresAt)'] : []),
    ...(url ? ['#url = if_not_exists(#url, :url)'] : []),
  ];
  return {
    Update: {
      TableName: tableName,
      Key: toItem({ pk: item.pk, sk: item.sk }),
      UpdateExpression: [adds.length ? `ADD ${adds.join(', ')}` : '', sets.length ? `SET ${sets.join(', ')}` : '']
        .filter(Boolean)
        .join(' '),
      ExpressionAttributeNames: {
        ...Object.fromEntries(counters.map(([name], i) => [`#c${i}`, name])),
        ...Object.fromEntries(amounts.map(([currency], i) => [`#a${i}`, `${AMOUNT_PREFIX}${currency}`])),
        ...(expiry && { '#expiresAt': 'expiresAt' }),
        ...(url && { '#url': 'url' }),
      },
      ExpressionAttributeValues: toItem({
        ...Object.fromEntries(counters.map(([, count], i) => [`:c${i}`, count])),
        ...Object.fromEntries(amounts.map(([, value], i) => [`:a${i}`, value])),
        ...(expiry && { ':expiresAt': item.expiresAt }),
        ...(url && { ':url': item.url }),
      }),
    },
  };
}
