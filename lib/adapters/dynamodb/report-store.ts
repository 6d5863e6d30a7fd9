/**
 * ReportStore on DynamoDB. Counter items: `pk = "<tenant>#<dimension>"`, `sk = <day>`, one
 * number attribute per counter name (`sent`, `delivered`…). Exactly-once markers:
 * `pk = "applied#<key>"`, `sk = "#"`, expiring after 7 days by default (a stream record is
 * retried for at most 24 hours, so a marker outlives every retry of its event). The
 * dimensions a tenant has used: `pk = "dims#<tenant>"`, `sk = <dimension>`. A tenant's hourly
 * totals of sent, bounced and complained (the reputation breaker's window): `pk = "<tenant>#hourly"`,
 * `sk = <YYYY-MM-DDTHH>`, expiring a day after the longest window.
 */
import { PutItemCommand, TransactWriteItemsCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { COUNTERS, zeroCounters, type CounterIncrement, type DailyCounters } from '../../domain/report.ts';
import { MAX_WINDOW_HOURS, type HourCounts } from '../../domain/reputation.ts';
import { systemClock, type Clock } from '../../ports/clock.ts';
import type { HourlyCounters, ReportStore } from '../../ports/report-store.ts';
import { expiryAfter, toItem } from './marshalling.ts';
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
/** Attribute prefix of a sum by currency: `value_EUR`. */
const AMOUNT_PREFIX = 'value_';
const DIMENSIONS_PREFIX = 'dims#';
/** Not a dimension the API can name (those are `all` or `<kind>:<value>`). */
const HOURLY_SUFFIX = '#hourly';
const HOURLY_KEEP_DAYS = MAX_WINDOW_HOURS / 24 + 1;
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
    const TransactItems = this.writes(increment);
    await this.register(increment.tenant, increment.dimensions);
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

  /** Every counter for each day with any, from `from` to `to` inclusive, in day order. */
  async daily(tenant: string, dimension: string, from: string, to: string): Promise<DailyCounters[]> {
    if (from > to) return [];
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: toItem({ ':pk': counterPk(tenant, dimension), ':from': from, ':to': to }),
    });
    return items.map((item) => {
      const counters = zeroCounters();
      for (const counter of COUNTERS) if (typeof item[counter] === 'number') counters[counter] = item[counter];
      const amounts: Record<string, number> = {};
      for (const [name, value] of Object.entries(item)) {
        if (name.startsWith(AMOUNT_PREFIX) && typeof value === 'number') amounts[name.slice(AMOUNT_PREFIX.length)] = value;
      }
      return { day: String(item.sk), counters, ...(Object.keys(amounts).length && { amounts }) };
    });
  }

  /** The tenant's hourly totals from `fromHour` to `toHour` (`YYYY-MM-DDTHH`, inclusive); hours without any are left out. */
  async hourly(tenant: string, fromHour: string, toHour: string): Promise<HourCounts[]> {
    if (fromHour > toHour) return [];
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: toItem({ ':pk': `${tenant}${HOURLY_SUFFIX}`, ':from': fromHour, ':to': toHour }),
    });
    const count = (value: unknown) => (typeof value === 'number' ? value : 0);
    return items.map((item) => ({ hour: String(item.sk), sent: count(item.sent), bouncedHard: count(item.bounced_hard), complained: count(item.complained) }));
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
        await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toItem({ pk: `${DIMENSIONS_PREFIX}${tenant}`, sk: dimension }) }));
        this.registered.add(`${tenant}#${dimension}`);
      }),
    );
  }

  private writes(increment: CounterIncrement): TransactWriteItem[] {
    const keep = increment.keepDays ?? this.markerDays;
    const marker: TransactWriteItem = {
      Put: {
        TableName: this.tableName,
        Item: toItem({ pk: `${MARKER_PREFIX}${increment.key}`, sk: '#', expiresAt: expiryAfter(this.clock.now().getTime(), keep) }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    // A transaction may not touch an item twice, so each dimension counts once.
    const names = [...new Set(increment.counters)];
    const amounts = Object.entries(increment.amounts ?? {});
    const adds = [...names.map((_, i) => `#c${i} :one`), ...amounts.map((_, i) => `#a${i} :a${i}`)];
    const counters = [...new Set(increment.dimensions)].map(
      (dimension): TransactWriteItem => ({
        Update: {
          TableName: this.tableName,
          Key: toItem({ pk: counterPk(increment.tenant, dimension), sk: increment.day }),
          UpdateExpression: `ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: {
            ...Object.fromEntries(names.map((name, i) => [`#c${i}`, name])),
            ...Object.fromEntries(amounts.map(([currency], i) => [`#a${i}`, `${AMOUNT_PREFIX}${currency}`])),
          },
          ExpressionAttributeValues: toItem({ ':one': 1, ...Object.fromEntries(amounts.map(([, value], i) => [`:a${i}`, value])) }),
        },
      }),
    );
    if (increment.hour) counters.push(hourlyWrite(this.tableName, increment, increment.hour, names));
    return [marker, ...counters];
  }
}

/** The increment's counters in the tenant's hourly totals, which expire on their own. */
function hourlyWrite(tableName: string, increment: CounterIncrement, hour: string, names: string[]): TransactWriteItem {
  return {
    Update: {
      TableName: tableName,
      Key: toItem({ pk: `${increment.tenant}${HOURLY_SUFFIX}`, sk: hour }),
      UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :one`).join(', ')} SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)`,
      ExpressionAttributeNames: { ...Object.fromEntries(names.map((name, i) => [`#c${i}`, name])), '#expiresAt': 'expiresAt' },
      ExpressionAttributeValues: toItem({ ':one': 1, ':expiresAt': expiryAfter(`${hour}:00:00.000Z`, HOURLY_KEEP_DAYS) }),
    },
  };
}

function counterPk(tenant: string, dimension: string): string {
  return `${tenant}#${dimension}`;
}
