/**
 * Counting a whole stream batch in a few transactions: sums per counter item, one chunk
 * marker per transaction, and every way the event source can hand a batch over again
 * (the same batch, a shorter prefix, a longer one, from the record reported failed).
 */
import { QueryCommand, TransactionCanceledException, TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsRequestCounter } from '../../../bench/aws-counter.ts';
import { linkPartitions } from '../../../lib/adapters/dynamodb/report-chunks.ts';
import { DynamoReportStore } from '../../../lib/adapters/dynamodb/report-store.ts';
import { LogNotifier } from '../../../lib/adapters/sns/log-notifier.ts';
import { makeEvent, type EventType, type MailEvent } from '../../../lib/domain/events.ts';
import { COUNTERS, dimensionsOf, incrementsFor, zeroCounters, type Counters } from '../../../lib/domain/report.ts';
import type { EventIncrements } from '../../../lib/ports/report-store.ts';
import { recordEvents } from '../../../lib/use-cases/record-events.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { memoryLog } from '../../support/fakes/index.ts';
import { T0, uniqueId } from './factories.ts';

const client = dynamoClient();
let table: string;
let store: DynamoReportStore;

/** Whether a command is the transaction of a chunk (its first action puts a chunk marker). */
function isChunk(command: unknown): boolean {
  return command instanceof TransactWriteItemsCommand && command.input.TransactItems?.[0]?.Put?.Item?.pk?.S?.startsWith('chunk#') === true;
}

/** Counts the chunk transactions a store sends, passing everything to DynamoDB Local. */
function countingClient() {
  const counts = { chunks: 0 };
  const wrapped = {
    send(command: Parameters<DynamoDBClient['send']>[0]) {
      if (isChunk(command)) counts.chunks += 1;
      return client.send(command as never);
    },
  } as unknown as DynamoDBClient;
  return { client: wrapped, counts };
}

beforeAll(async () => {
  table = (await freshTables(client)).reports;
  store = new DynamoReportStore(client, table, { clock: { now: () => new Date(T0) } });
});
afterAll(() => client.destroy());

const TYPES: EventType[] = ['queued', 'sent', 'delivered', 'opened', 'clicked', 'bounced', 'converted'];
const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03'];

/** A varied stream: two tenants, several tags and days, opens and clicks repeated per recipient. */
function stream(count: number, tenants = [uniqueId('tenant'), uniqueId('tenant')]): MailEvent[] {
  const messages = uniqueId('m');
  return Array.from({ length: count }, (_, i) => {
    const type = TYPES[i % TYPES.length]!;
    return makeEvent({
      // Few messages and recipients: opens and clicks repeat, and their unique counts stay few.
      messageId: `${messages}-${i % 4}`,
      tenant: tenants[i % tenants.length]!,
      recipient: `r${i % 3}@example.org`,
      type,
      at: `${DAYS[i % DAYS.length]}T${String(10 + (i % 4)).padStart(2, '0')}:00:00.000Z`,
      attempt: i,
      tags: { kind: `k${i % 5}`, batch: `b${i % 11}` },
      fromDomain: `d${i % 2}.example`,
      detail: {
        ...(type === 'bounced' && { bounceType: i % 2 ? 'hard' : 'soft' }),
        ...(type === 'converted' && { value: 1.1, currency: i % 2 ? 'EUR' : 'USD' }),
      },
    });
  });
}

const entries = (events: MailEvent[]): EventIncrements[] =>
  events.map((event) => ({ id: event.eventId, increments: incrementsFor(event) }));

/** The counters each (tenant, dimension, day) should hold: every event once, unique keys once. */
function expected(events: MailEvent[]): Map<string, { counters: Counters; amounts: Record<string, number> }> {
  const totals = new Map<string, { counters: Counters; amounts: Record<string, number> }>();
  const seen = new Set<string>();
  for (const increment of events.flatMap(incrementsFor)) {
    if (seen.has(increment.key)) continue;
    seen.add(increment.key);
    for (const dimension of new Set(increment.dimensions)) {
      const key = `${increment.tenant}|${dimension}|${increment.day}`;
      const total = totals.get(key) ?? { counters: zeroCounters(), amounts: {} };
      for (const counter of new Set(increment.counters)) total.counters[counter] += 1;
      for (const [currency, value] of Object.entries(increment.amounts ?? {}))
        total.amounts[currency] = Math.round(((total.amounts[currency] ?? 0) + value) * 1e6) / 1e6;
      totals.set(key, total);
    }
  }
  return totals;
}

async function expectCountedOnce(events: MailEvent[]) {
  const want = expected(events);
  const dimensions = new Set(events.flatMap((event) => dimensionsOf(event).map((d) => `${event.tenant}|${d}`)));
  const read = async (pair: string) => {
    const [tenant, dimension] = pair.split('|') as [string, string];
    const days = await store.daily(tenant, dimension, DAYS[0]!, DAYS[DAYS.length - 1]!);
    return { pair, got: Object.fromEntries(days.map((d) => [d.day, { counters: d.counters, amounts: d.amounts ?? {} }])) };
  };
  for (const { pair, got } of await Promise.all([...dimensions].map(read))) {
    const wanted = Object.fromEntries(
      [...want].filter(([key]) => key.startsWith(`${pair}|`)).map(([key, value]) => [key.split('|')[2], value]),
    );
    expect(got, pair).toEqual(wanted);
  }
  // The reputation breaker's hourly totals of the first tenant.
  const tenant = events[0]!.tenant;
  const hours = await store.hourly(tenant, '2026-03-01T00', '2026-03-03T23');
  const sum = (type: EventType) => events.filter((e) => e.tenant === tenant && e.type === type).length;
  expect(hours.reduce((n, h) => n + h.sent, 0)).toBe(sum('sent'));
  expect(hours.reduce((n, h) => n + h.bouncedHard, 0)).toBe(
    events.filter((e) => e.tenant === tenant && e.type === 'bounced' && e.detail.bounceType === 'hard').length,
  );
}

describe('DynamoReportStore.applyBatch', () => {
  it('counts a batch once in a few transactions, and a batch handed over again not at all', async () => {
    const events = stream(250);
    const counting = countingClient();
    const batchStore = new DynamoReportStore(counting.client, table, { clock: { now: () => new Date(T0) } });
    expect(await batchStore.applyBatch(entries(events))).toEqual({ applied: 250, counted: 250 });
    await expectCountedOnce(events);
    // 2 tenants × 3 days × 18 dimensions plus 12 hourly items, all mixed: more than one transaction holds.
    expect(counting.counts.chunks).toBeGreaterThan(1);
    expect(counting.counts.chunks).toBeLessThan(10);

    expect(await batchStore.applyBatch(entries(events))).toEqual({ applied: 250, counted: 0 });
    await expectCountedOnce(events);
  });

  it('counts once when a shorter prefix comes again, then the rest from the record after it', async () => {
    const events = stream(150);
    expect(await store.applyBatch(entries(events))).toEqual({ applied: 150, counted: 150 });
    // A bisected retry: the first 60 only. The rest of their chunk is left a marker of its own…
    expect(await store.applyBatch(entries(events.slice(0, 60)))).toEqual({ applied: 60, counted: 0 });
    // …which the next batch, starting at event 61, finds.
    expect(await store.applyBatch(entries(events.slice(60)))).toEqual({ applied: 90, counted: 0 });
    await expectCountedOnce(events);
  });

  it('counts a prefix, then the rest starting at event 61, each once', async () => {
    const events = stream(150);
    expect(await store.applyBatch(entries(events.slice(0, 60)))).toEqual({ applied: 60, counted: 60 });
    expect(await store.applyBatch(entries(events.slice(60)))).toEqual({ applied: 90, counted: 90 });
    await expectCountedOnce(events);
  });

  it('counts only what is new when a longer batch comes again', async () => {
    const events = stream(150);
    expect(await store.applyBatch(entries(events.slice(0, 100)))).toEqual({ applied: 100, counted: 100 });
    expect(await store.applyBatch(entries(events))).toEqual({ applied: 150, counted: 50 });
    await expectCountedOnce(events);
  });

  it('counts once when two writers count the same batch at the same time', async () => {
    const events = stream(120);
    const [a, b] = await Promise.all([store.applyBatch(entries(events)), store.applyBatch(entries(events))]);
    expect([a?.applied, b?.applied]).toEqual([120, 120]);
    expect((a?.counted ?? 0) + (b?.counted ?? 0)).toBe(120);
    await expectCountedOnce(events);
  });

  it('counts the first open and click per message and recipient once, however often they come', async () => {
    const tenant = uniqueId('tenant');
    const open = (attempt: number, type: EventType = 'opened') =>
      makeEvent({
        messageId: `${tenant}-m1`,
        tenant,
        recipient: 'zoe@example.org',
        type,
        at: '2026-03-02T10:00:00.000Z',
        attempt,
        tags: {},
        detail: {},
      });
    const events = [open(1), open(2), open(3, 'clicked'), open(4), open(5, 'clicked')];
    await store.applyBatch(entries(events.slice(0, 2)));
    await store.applyBatch(entries(events));
    // The second batch handed over again from its first event counted (the third).
    await store.applyBatch(entries(events.slice(2)));
    const [day] = await store.daily(tenant, 'all', '2026-03-02', '2026-03-02');
    expect(day?.counters).toEqual({ ...zeroCounters(), opened: 3, opened_unique: 1, clicked: 2, clicked_unique: 1 });
  });

  it('counts the clicks per campaign link once however the batches come again, spread over the write shards', async () => {
    const tenant = uniqueId('tenant');
    const campaign = uniqueId('c');
    const popular = `https://shop.example/sale?${'q=1&'.repeat(800)}end`;
    const click = (i: number, url: string, recipient = `r${i % 7}@example.org`) =>
      makeEvent({
        messageId: `${campaign}-m${i % 7}`,
        tenant,
        recipient,
        type: 'clicked',
        at: `${DAYS[i % DAYS.length]}T10:00:00.000Z`,
        attempt: i,
        tags: {},
        campaign,
        detail: { link: url },
      });
    // 7 recipients click the popular link 10 times each; one of them clicks another link twice.
    const events = [
      ...Array.from({ length: 70 }, (_, i) => click(i, popular)),
      click(70, 'https://shop.example/other', 'r0@example.org'),
      click(77, 'https://shop.example/other', 'r0@example.org'),
    ];
    // Small batches, each handed over twice, the second time with the next one's start.
    for (let from = 0; from < events.length; from += 8) {
      await store.applyBatch(entries(events.slice(from, from + 8)));
      await store.applyBatch(entries(events.slice(from, from + 12)));
    }
    await store.applyBatch(entries(events));
    const links = await store.links(tenant, campaign);
    expect(links.sort((a, b) => b.clicks - a.clicks)).toEqual([
      { url: popular, clicks: 70, uniqueClicks: 7 },
      { url: 'https://shop.example/other', clicks: 2, uniqueClicks: 1 },
    ]);
    // The campaign's own figures count each recipient's first click once, whatever the link.
    const days = await store.daily(tenant, `campaign:${campaign}`, DAYS[0]!, DAYS[2]!);
    expect(days.reduce((n, d) => n + d.counters.clicked, 0)).toBe(72);
    expect(days.reduce((n, d) => n + d.counters.clicked_unique, 0)).toBe(7);
    // The popular link's clicks were written to several write shards, not one hot item.
    const shards = await Promise.all(
      linkPartitions(tenant, campaign).map(async (pk) => {
        const answer = await client.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: pk } },
          }),
        );
        return answer.Items ?? [];
      }),
    );
    expect(shards.filter((items) => items.length > 0).length).toBeGreaterThan(2);
    // The items every click adds to stay small: the long URL is kept beside them, not in them.
    const items = shards.flat();
    expect(items.filter((item) => item.url).every((item) => item.sk?.S?.endsWith('#url') && !item.clicked)).toBe(true);
    expect(items.filter((item) => item.clicked).every((item) => !item.url)).toBe(true);
    // Another tenant (or campaign) reads none of them.
    expect(await store.links(uniqueId('tenant'), campaign)).toEqual([]);
  });

  it('stops at the first chunk that cannot be written, and says how many events are counted', async () => {
    const events = stream(250);
    let transactions = 0;
    const failing = {
      send(command: Parameters<DynamoDBClient['send']>[0]) {
        if (isChunk(command) && ++transactions === 2) {
          return Promise.reject(new Error('injected failure'));
        }
        return client.send(command as never);
      },
    } as unknown as DynamoDBClient;
    const result = await new DynamoReportStore(failing, table).applyBatch(entries(events));
    expect(result.applied).toBeGreaterThan(0);
    expect(result.applied).toBeLessThan(250);
    expect(result.counted).toBe(result.applied);
    expect(String(result.error)).toContain('injected failure');
    // The event source hands the batch over again from the first event not counted.
    expect(await store.applyBatch(entries(events.slice(result.applied)))).toEqual({
      applied: 250 - result.applied,
      counted: 250 - result.applied,
    });
    await expectCountedOnce(events);
  });

  it('retries a conflicting chunk a few times', async () => {
    const events = stream(20);
    let conflicts = 2;
    const conflicting = {
      send(command: Parameters<DynamoDBClient['send']>[0]) {
        // DynamoDB Local serialises transactions, so the conflicts AWS reports are simulated here.
        if (isChunk(command) && conflicts-- > 0) {
          return Promise.reject(
            new TransactionCanceledException({
              message: 'Transaction cancelled',
              $metadata: {},
              CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
            }),
          );
        }
        return client.send(command as never);
      },
    } as unknown as DynamoDBClient;
    expect(await new DynamoReportStore(conflicting, table).applyBatch(entries(events))).toEqual({ applied: 20, counted: 20 });
    await expectCountedOnce(events);
  });
});

describe('write units of counting', () => {
  it('costs a small fraction of a write unit per event for a 100-event batch of one tenant', async () => {
    const counter = new AwsRequestCounter();
    const measured = dynamoClient();
    counter.instrument(measured);
    const reports = new DynamoReportStore(measured, table);
    const tenant = uniqueId('tenant');
    // As the benchmark sends: each message queued, then sent, from one domain, no tags.
    const events = Array.from({ length: 50 }, (_, i) =>
      (['queued', 'sent'] as const).map((type) =>
        makeEvent({
          messageId: `${tenant}-${crypto.randomUUID()}`.slice(0, 40) + i,
          tenant,
          recipient: `reader${i}@example.org`,
          type,
          at: '2026-03-02T10:00:00.000Z',
          attempt: type === 'sent' ? 1 : 0,
          tags: {},
          fromDomain: 'acme.example',
          detail: {},
        }),
      ),
    ).flat();
    expect(await recordEvents({ reports, notifier: new LogNotifier(memoryLog()), log: memoryLog() }, events)).toBeUndefined();
    const units = Object.values(counter.snapshot().tables).reduce((sum, t) => sum + t.writeUnits, 0);
    const perEvent = units / events.length;
    console.info(`counting 100 events: ${units} WRU, ${perEvent} WRU per event`);
    expect(perEvent).toBeLessThan(0.5);
    const [all] = await reports.daily(tenant, 'all', '2026-03-02', '2026-03-02');
    expect(all?.counters).toMatchObject({ requested: 50, sent: 50 });
    expect(COUNTERS.reduce((n, c) => n + (all?.counters[c] ?? 0), 0)).toBe(100);
    measured.destroy();
  });
});
