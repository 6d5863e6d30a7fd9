/**
 * ReportStore on DynamoDB. Counter items, write-sharded (REPORTS.shards):
 * `pk = "<tenant>#<shard>#<dimension>"`, `sk = <day>`, one number attribute per counter name
 * (`sent`, `delivered`…); a read sums the shards (report-reads.ts). A tenant's hourly totals of
 * sent, bounced and complained (the reputation breaker's window): `pk = "<tenant>#<shard>#hourly"`,
 * `sk = <YYYY-MM-DDTHH>`, expiring a day after the longest window. Items written before the
 * counters were sharded (`pk = "<tenant>#<dimension>"`, `"<tenant>#hourly"`) are read as one
 * more shard and never written again. The dimensions a tenant has used: `pk = "dims#<tenant>"`,
 * `sk = <dimension>`. The clicks per link of a campaign's messages, not by day:
 * `pk = "<tenant>#<shard>#links:<campaign>"`, `sk = <digest of the URL>`, `clicked` and
 * `clicked_unique`, counted with their events as the other counters are; the URL beside them,
 * `sk = "<digest>#url"`, written with each recipient's first click on the link (not with every
 * click: a write costs a unit per KB of its item, and a URL may be long).
 *
 * Exactly once, for a stream batch: the events of a run (a chunk) are summed per counter item
 * and written in one transaction with a chunk marker, `pk = "chunk#<digest of the chunk's
 * first event id>"`, `sk = "#"`, `events` = the digests of the events it counted, in order
 * (report-chunks.ts). A shard's batches come one at a time, in order, and one handed over
 * again starts at a chunk's first event (the batch's first, or the one reported failed), so
 * its marker says which events to skip; when a shorter batch ends inside a chunk, the rest of
 * the list gets a marker of its own under the next event, where the following batch starts.
 * Exactly once, for a single increment (and the unique counts, kept 400 days):
 * `pk = "applied#<key>"`, `sk = "#"`, written with its counters. Markers expire after 7 days by default (a stream record is retried for at most 24
 * hours, so a marker outlives every retry of its events).
 */
import {
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HourCounts } from '../../domain/reputation.ts';
import { systemClock, type Clock } from '../../ports/clock.ts';
import type { BatchCount, EventIncrements, HourlyCounters, LinkCounts, ReportStore } from '../../ports/report-store.ts';
import { addAmounts, COUNTERS, zeroCounters, type CounterIncrement, type DailyCounters } from '../../domain/report.ts';
import {
  AMOUNT_PREFIX,
  CHUNK_PREFIX,
  counterPartitions,
  cutChunk,
  eventDigest,
  hourlyPartitions,
  incrementItems,
  itemWrite,
  LINK_URL_SUFFIX,
  linkPartitions,
} from './report-chunks.ts';
import { shardGroups, sumOf } from './report-reads.ts';
import { expiryAfter, fromItem, toItem } from './marshalling.ts';
import { queryAll } from './query-all.ts';
import { cancellationCodes, isTransactionConflict } from './transactions.ts';

/** Options of DynamoReportStore. */
export interface DynamoReportStoreOptions {
  /** Source of the markers' expiry time; the system clock by default. */
  clock?: Clock;
  /** Days a marker is kept; 7 by default. */
  markerDays?: number;
}

const MARKER_PREFIX = 'applied#';
const DIMENSIONS_PREFIX = 'dims#';
// Transactions on the same counters conflict under concurrency; a few quick retries settle
// them here rather than failing (and replaying) a whole stream batch.
const CONFLICT_TRIES = 4;

/** The ReportStore port on the reports table. */
export class DynamoReportStore implements ReportStore, HourlyCounters {
  private readonly clock: Clock;
  private readonly markerDays: number;
  /** Dimensions known to be registered, so that each is written once per process. */
  private readonly registered = new Set<string>();

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    options: DynamoReportStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.markerDays = options.markerDays ?? 7;
  }

  /**
   * Writes the event's marker and adds one to its counter in every dimension, in one
   * transaction. Returns false, changing nothing, when the marker exists (already applied).
   * Other failures propagate after the conflict retries, for the caller to retry.
   */
  async apply(increment: CounterIncrement): Promise<boolean> {
    await this.register(increment.tenant, increment.dimensions);
    return this.transact(this.writes(increment));
  }

  /**
   * Counts the batch chunk by chunk (report-chunks.ts), each chunk's sums and marker in one
   * transaction, after its unique counts one by one. Before counting at the batch's first
   * event, and after skipping a chunk counted before, reads the marker that may start there:
   * past a chunk this call wrote, none can (an earlier attempt that got further would have
   * left one where this call's chunk started, and its write would have failed).
   */
  async applyBatch(batch: EventIncrements[]): Promise<BatchCount> {
    const digests = batch.map((entry) => eventDigest(entry.id));
    let applied = 0;
    let counted = 0;
    let check = true;
    try {
      while (applied < batch.length) {
        if (check) {
          const listed = await this.chunkMarker(digests[applied]!);
          if (listed) {
            applied += await this.skip(listed, digests, applied);
            continue;
          }
        }
        const chunk = cutChunk(batch, applied);
        // Idempotent by their own keys: applied again when the chunk has to be.
        for (const increment of chunk.single) await this.apply(increment);
        await Promise.all([...groupDimensions(chunk.summed)].map(([tenant, dimensions]) => this.register(tenant, [...dimensions])));
        const marker: TransactWriteItem = {
          Put: { ...this.chunkPut(digests.slice(applied, chunk.end)), ConditionExpression: 'attribute_not_exists(pk)' },
        };
        const written = await this.transact([marker, ...chunk.items.map((item) => itemWrite(this.tableName, item))]);
        if (written) {
          counted += chunk.end - applied;
          applied = chunk.end;
        }
        // Not written: another writer's marker starts here, to be read on the next turn.
        check = !written;
      }
    } catch (error) {
      return { applied, counted, error };
    }
    return { applied, counted };
  }

  /** Every counter for each day with any, from `from` to `to` inclusive, in day order: the sums over the write shards. */
  async daily(tenant: string, dimension: string, from: string, to: string): Promise<DailyCounters[]> {
    if (from > to) return [];
    const days = await shardGroups(this.client, this.tableName, counterPartitions(tenant, dimension), from, to);
    return days.map(([day, items]) => {
      const counters = zeroCounters();
      for (const counter of COUNTERS) counters[counter] = sumOf(items, counter);
      const amounts: Record<string, number> = {};
      for (const item of items) {
        for (const [name, value] of Object.entries(item)) {
          if (name.startsWith(AMOUNT_PREFIX) && typeof value === 'number')
            addAmounts(amounts, { [name.slice(AMOUNT_PREFIX.length)]: value });
        }
      }
      return { day, counters, ...(Object.keys(amounts).length && { amounts }) };
    });
  }

  /** The tenant's hourly totals from `fromHour` to `toHour` (`YYYY-MM-DDTHH`, inclusive), summed over the write shards; hours without any are left out. */
  async hourly(tenant: string, fromHour: string, toHour: string): Promise<HourCounts[]> {
    if (fromHour > toHour) return [];
    const hours = await shardGroups(this.client, this.tableName, hourlyPartitions(tenant), fromHour, toHour);
    return hours.map(([hour, items]) => ({
      hour,
      sent: sumOf(items, 'sent'),
      bouncedHard: sumOf(items, 'bounced_hard'),
      complained: sumOf(items, 'complained'),
    }));
  }

  /** The campaign's link totals: each link's items summed over the write shards. */
  async links(tenant: string, campaign: string): Promise<LinkCounts[]> {
    // Digests are base64url: every one sorts between '-' and '~'.
    const links = await shardGroups(this.client, this.tableName, linkPartitions(tenant, campaign), '-', '~');
    const urls = new Map<string, string>();
    for (const [sk, items] of links) {
      const url = items.find((item) => typeof item.url === 'string')?.url;
      if (sk.endsWith(LINK_URL_SUFFIX) && typeof url === 'string') urls.set(sk.slice(0, -LINK_URL_SUFFIX.length), url);
    }
    return links
      .filter(([sk]) => !sk.endsWith(LINK_URL_SUFFIX))
      .map(([sk, items]) => ({ url: urls.get(sk) ?? '', clicks: sumOf(items, 'clicked'), uniqueClicks: sumOf(items, 'clicked_unique') }));
  }

  async dimensions(tenant: string, prefix: string, limit: number): Promise<string[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: toItem({ ':pk': `${DIMENSIONS_PREFIX}${tenant}`, ':prefix': prefix }),
      Limit: limit,
    });
    return items.slice(0, limit).map((item) => String(item.sk));
  }

  /** Records the dimensions so that reports can list them; idempotent, once per process. */
  private async register(tenant: string, dimensions: string[]): Promise<void> {
    const fresh = dimensions.filter((d) => d !== 'all' && !this.registered.has(`${tenant}#${d}`));
    await Promise.all(
      fresh.map(async (dimension) => {
        await this.client.send(
          new PutItemCommand({ TableName: this.tableName, Item: toItem({ pk: `${DIMENSIONS_PREFIX}${tenant}`, sk: dimension }) }),
        );
        this.registered.add(`${tenant}#${dimension}`);
      }),
    );
  }

  /**
   * Writes and retries a transaction whose first action is a marker put on condition that it
   * is new. Returns false, changing nothing, when the marker exists. Other failures propagate
   * after a few retries of conflicts.
   */
  private async transact(TransactItems: TransactWriteItem[]): Promise<boolean> {
    for (let tries = 1; ; tries++) {
      try {
        await this.client.send(new TransactWriteItemsCommand({ TransactItems }));
        return true;
      } catch (error) {
        if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
        if (tries < CONFLICT_TRIES && isTransactionConflict(error)) {
          await sleep(10 * tries + Math.random() * 20 * tries);
          continue;
        }
        throw error;
      }
    }
  }

  /** The event digests the chunk marker under `digest` lists, or undefined when there is none. */
  private async chunkMarker(digest: string): Promise<string[] | undefined> {
    const answer = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toItem({ pk: `${CHUNK_PREFIX}${digest}`, sk: '#' }), ConsistentRead: true }),
    );
    const events = answer.Item ? fromItem(answer.Item).events : undefined;
    return Array.isArray(events) ? events.map(String) : undefined;
  }

  /**
   * Skips the events of `digests` from `at` on that a marker lists (counted before): they come
   * next, in order. Those the batch ends before get a marker under the first of them, where
   * the next batch starts. Returns how many were skipped.
   */
  private async skip(listed: string[], digests: string[], at: number): Promise<number> {
    let skipped = 0;
    while (skipped < listed.length && at + skipped < digests.length && listed[skipped] === digests[at + skipped]) skipped += 1;
    if (skipped === 0) throw new Error('a chunk marker does not start with the event it is kept under');
    if (skipped < listed.length) {
      try {
        await this.client.send(
          new PutItemCommand({ ...this.chunkPut(listed.slice(skipped)), ConditionExpression: 'attribute_not_exists(pk)' }),
        );
      } catch (error) {
        // Written by an earlier attempt of this batch.
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
    return skipped;
  }

  /** The marker of a chunk of events (by digest), under its first event. */
  private chunkPut(digests: string[]) {
    return {
      TableName: this.tableName,
      Item: toItem({
        pk: `${CHUNK_PREFIX}${digests[0]}`,
        sk: '#',
        events: digests,
        expiresAt: expiryAfter(this.clock.now().getTime(), this.markerDays),
      }),
    };
  }

  /** The increment's marker, then its counters (summed as a chunk's are, report-chunks.ts). */
  private writes(increment: CounterIncrement): TransactWriteItem[] {
    const keep = increment.keepDays ?? this.markerDays;
    const marker: TransactWriteItem = {
      Put: {
        TableName: this.tableName,
        Item: toItem({ pk: `${MARKER_PREFIX}${increment.key}`, sk: '#', expiresAt: expiryAfter(this.clock.now().getTime(), keep) }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    return [marker, ...incrementItems(increment).map((item) => itemWrite(this.tableName, item))];
  }
}

/** The dimensions the increments count in, by tenant. */
function groupDimensions(increments: CounterIncrement[]): Map<string, Set<string>> {
  const byTenant = new Map<string, Set<string>>();
  for (const increment of increments) {
    const dimensions = byTenant.get(increment.tenant) ?? new Set<string>();
    for (const dimension of increment.dimensions) dimensions.add(dimension);
    byTenant.set(increment.tenant, dimensions);
  }
  return byTenant;
}
