/**
 * Write-sharded counters on DynamoDB Local: chunks land on several shards of one counter, a
 * report sums them (and the item written before counters were sharded), and a stream batch
 * handed over again is still counted once.
 */
import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterPartitions, counterShard } from '../../../lib/adapters/dynamodb/report-chunks.ts';
import { DynamoReportStore } from '../../../lib/adapters/dynamodb/report-store.ts';
import { zeroCounters, type CounterIncrement } from '../../../lib/domain/report.ts';
import type { EventIncrements } from '../../../lib/ports/report-store.ts';
import { REPORTS } from '../../../lib/topology.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { T0, uniqueId } from './factories.ts';

const client = dynamoClient();
let table: string;
let store: DynamoReportStore;

beforeAll(async () => {
  table = (await freshTables(client)).reports;
  store = new DynamoReportStore(client, table, { clock: { now: () => new Date(T0) } });
});
afterAll(() => client.destroy());

const DAY = '2026-03-02';
const HOUR = '2026-03-02T10';

/** A sent event of `tenant`, counted in `all` and its hour, worth 0.1 EUR when it converts. */
function sent(tenant: string, id = uniqueId('e')): EventIncrements {
  const increment: CounterIncrement = {
    key: id,
    tenant,
    day: DAY,
    hour: HOUR,
    dimensions: ['all'],
    counters: ['sent'],
    amounts: { EUR: 0.1 },
  };
  return { id, increments: [increment] };
}

/** The `sent` count of each shard item of the tenant's `all` counter that exists. */
async function shardCounts(tenant: string): Promise<number[]> {
  const counts = await Promise.all(
    counterPartitions(tenant, 'all')
      .slice(0, REPORTS.shards)
      .map(async (pk) => {
        const answer = await client.send(
          new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: marshall({ ':pk': pk }) }),
        );
        return answer.Items?.length ? Number(answer.Items[0]?.sent?.N) : 0;
      }),
  );
  return counts.filter((count) => count > 0);
}

describe('sharded report counters', () => {
  it('spreads batches over the shards, sums them when read, and counts a replayed batch once', async () => {
    const tenant = uniqueId('tenant');
    // Batches of 5, as a stream shard hands them over: each batch one chunk, in its first event's shard.
    const events = Array.from({ length: 60 }, () => sent(tenant));
    const batches = Array.from({ length: 12 }, (_, i) => events.slice(i * 5, i * 5 + 5));
    for (const batch of batches) expect(await store.applyBatch(batch)).toEqual({ applied: 5, counted: 5 });

    const counts = await shardCounts(tenant);
    expect(counts.length).toBe(new Set(batches.map((batch) => counterShard(batch[0]!.id))).size);
    expect(counts.length).toBeGreaterThan(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(60);

    const want = [{ day: DAY, counters: { ...zeroCounters(), sent: 60 }, amounts: { EUR: 6 } }];
    expect(await store.daily(tenant, 'all', DAY, DAY)).toEqual(want);
    expect(await store.hourly(tenant, HOUR, HOUR)).toEqual([{ hour: HOUR, sent: 60, bouncedHard: 0, complained: 0 }]);

    // The stream hands every batch over again, and then all of them as one longer batch.
    for (const batch of batches) expect(await store.applyBatch(batch)).toEqual({ applied: 5, counted: 0 });
    expect(await store.applyBatch(events)).toEqual({ applied: 60, counted: 0 });
    expect(await store.daily(tenant, 'all', DAY, DAY)).toEqual(want);
    expect(await shardCounts(tenant)).toEqual(counts);
  });

  it('counts an increment applied on its own in the shard of its key, once', async () => {
    const tenant = uniqueId('tenant');
    const ids = Array.from({ length: 24 }, () => uniqueId('first'));
    for (const id of ids) expect(await store.apply(sent(tenant, id).increments[0]!)).toBe(true);
    for (const id of ids) expect(await store.apply(sent(tenant, id).increments[0]!)).toBe(false);
    expect((await shardCounts(tenant)).length).toBe(new Set(ids.map(counterShard)).size);
    expect((await store.daily(tenant, 'all', DAY, DAY))[0]?.counters.sent).toBe(24);
  });

  it('adds the counters written before they were sharded, daily and hourly', async () => {
    const tenant = uniqueId('tenant');
    const old = { sent: 7, delivered: 5, value_EUR: 1.2 };
    await client.send(new PutItemCommand({ TableName: table, Item: marshall({ pk: `${tenant}#all`, sk: DAY, ...old }) }));
    await client.send(new PutItemCommand({ TableName: table, Item: marshall({ pk: `${tenant}#all`, sk: '2026-03-01', sent: 3 }) }));
    await client.send(
      new PutItemCommand({ TableName: table, Item: marshall({ pk: `${tenant}#hourly`, sk: HOUR, sent: 7, bounced_hard: 2 }) }),
    );
    for (let i = 0; i < 4; i++) await store.applyBatch([sent(tenant)]);

    expect(await store.daily(tenant, 'all', '2026-03-01', DAY)).toEqual([
      { day: '2026-03-01', counters: { ...zeroCounters(), sent: 3 } },
      { day: DAY, counters: { ...zeroCounters(), sent: 11, delivered: 5 }, amounts: { EUR: 1.6 } },
    ]);
    expect(await store.hourly(tenant, HOUR, HOUR)).toEqual([{ hour: HOUR, sent: 11, bouncedHard: 2, complained: 0 }]);
  });
});
