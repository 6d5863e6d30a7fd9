/**
 * How a run of stream events becomes one transaction on the reports table: the counters of
 * all its events summed per item (one ADD per counter item touched), plus the chunk marker
 * that records which events were counted. See report-store.ts for the item layout.
 */
import { createHash } from 'node:crypto';
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { addAmounts, type CounterIncrement } from '../../domain/report.ts';
import { MAX_WINDOW_HOURS } from '../../domain/reputation.ts';
import type { EventIncrements } from '../../ports/report-store.ts';
import { expiryAfter, toItem } from './marshalling.ts';

/** Attribute prefix of a sum by currency: `value_EUR`. */
export const AMOUNT_PREFIX = 'value_';
/** Not a dimension the API can name (those are `all` or `<kind>:<value>`). */
export const HOURLY_SUFFIX = '#hourly';
const HOURLY_KEEP_DAYS = MAX_WINDOW_HOURS / 24 + 1;
/** Key prefix of chunk markers. */
export const CHUNK_PREFIX = 'chunk#';
/** DynamoDB's limit on the actions of one transaction: the marker and the counter items. */
export const MAX_TRANSACTION_ACTIONS = 100;
/** Events per chunk at most, which keeps the marker near 17 KB (an item may hold 400 KB). */
export const MAX_CHUNK_EVENTS = 1000;

/** Partition key of a tenant's counters in one dimension. */
export function counterPk(tenant: string, dimension: string): string {
  return `${tenant}#${dimension}`;
}

/** Partition key of a tenant's hourly totals. */
export function hourlyPk(tenant: string): string {
  return `${tenant}${HOURLY_SUFFIX}`;
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

/** Keys of the items an increment adds to. */
function itemKeys(increment: CounterIncrement): { pk: string; sk: string; hourly: boolean }[] {
  const keys = [...new Set(increment.dimensions)].map((dimension) => ({
    pk: counterPk(increment.tenant, dimension),
    sk: increment.day,
    hourly: false,
  }));
  if (increment.hour) keys.push({ pk: hourlyPk(increment.tenant), sk: increment.hour, hourly: true });
  return keys;
}

/** Adds an increment to the sums of the items it counts in (each counter once per item; the hourly totals hold counts only). */
function addToItems(items: Map<string, SummedItem>, increment: CounterIncrement): void {
  const names = [...new Set(increment.counters)];
  for (const key of itemKeys(increment)) {
    const id = `${key.pk}\n${key.sk}`;
    const item = items.get(id) ?? {
      pk: key.pk,
      sk: key.sk,
      counters: new Map(),
      amounts: {},
      ...(key.hourly && { expiresAt: hourlyExpiry(key.sk) }),
    };
    items.set(id, item);
    for (const name of names) item.counters.set(name, (item.counters.get(name) ?? 0) + 1);
    if (!key.hourly) addAmounts(item.amounts, increment.amounts);
  }
}

/** The counter items of one increment with what it adds to each (an increment applied on its own). */
export function incrementItems(increment: CounterIncrement): SummedItem[] {
  const items = new Map<string, SummedItem>();
  addToItems(items, increment);
  return [...items.values()];
}

/**
 * The longest run of entries from `from` whose summed counter items fit one transaction
 * beside the marker (at least one entry), with those sums.
 */
export function cutChunk(batch: EventIncrements[], from: number): Chunk {
  const items = new Map<string, SummedItem>();
  const chunk: Chunk = { end: from, summed: [], single: [], items: [] };
  for (let i = from; i < batch.length && i - from < MAX_CHUNK_EVENTS; i++) {
    const entry = batch[i]!;
    const summed = entry.increments.filter((increment) => summedWithEvent(entry, increment));
    const fresh = new Set(
      summed
        .flatMap(itemKeys)
        .map((key) => `${key.pk}\n${key.sk}`)
        .filter((key) => !items.has(key)),
    );
    if (i > from && items.size + fresh.size + 1 > MAX_TRANSACTION_ACTIONS) break;
    for (const increment of summed) addToItems(items, increment);
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
  return {
    Update: {
      TableName: tableName,
      Key: toItem({ pk: item.pk, sk: item.sk }),
      UpdateExpression: `ADD ${adds.join(', ')}${expiry ? ' SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)' : ''}`,
      ExpressionAttributeNames: {
        ...Object.fromEntries(counters.map(([name], i) => [`#c${i}`, name])),
        ...Object.fromEntries(amounts.map(([currency], i) => [`#a${i}`, `${AMOUNT_PREFIX}${currency}`])),
        ...(expiry && { '#expiresAt': 'expiresAt' }),
      },
      ExpressionAttributeValues: toItem({
        ...Object.fromEntries(counters.map(([, count], i) => [`:c${i}`, count])),
        ...Object.fromEntries(amounts.map(([, value], i) => [`:a${i}`, value])),
        ...(expiry && { ':expiresAt': item.expiresAt }),
      }),
    },
  };
}
