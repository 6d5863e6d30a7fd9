import {
  GetItemCommand,
  TransactionCanceledException,
  type DynamoDBClient,
  type TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoReportStore } from '../../../lib/adapters/dynamodb/report-store.ts';
import { zeroCounters, type CounterIncrement } from '../../../lib/domain/report.ts';
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

function increment(tenant: string, extra: Partial<CounterIncrement> = {}): CounterIncrement {
  return { key: uniqueId('e'), tenant, day: '2026-03-02', dimensions: ['all'], counters: ['sent'], ...extra };
}

describe('DynamoReportStore', () => {
  it('counts an event once when it is applied twice', async () => {
    const tenant = uniqueId('tenant');
    const once = increment(tenant);
    expect(await store.apply(once)).toBe(true);
    expect(await store.apply(once)).toBe(false);
    expect(await store.daily(tenant, 'all', '2026-03-02', '2026-03-02')).toEqual([
      { day: '2026-03-02', counters: { ...zeroCounters(), sent: 1 } },
    ]);

    const marker = await client.send(new GetItemCommand({ TableName: table, Key: marshall({ pk: `applied#${once.key}`, sk: '#' }) }));
    expect(unmarshall(marker.Item ?? {}).expiresAt).toBe(T0 / 1000 + 7 * 86_400);
  });

  it('counts once when the same increment is applied ten times at once', async () => {
    const tenant = uniqueId('tenant');
    const same = increment(tenant);
    const results = await Promise.all(Array.from({ length: 10 }, () => store.apply(same)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const [day] = await store.daily(tenant, 'all', '2026-03-02', '2026-03-02');
    expect(day?.counters.sent).toBe(1);
  });

  it('adds distinct events per counter and per dimension', async () => {
    const tenant = uniqueId('tenant');
    await Promise.all([
      store.apply(increment(tenant, { dimensions: ['all', 'campaign:spring'] })),
      store.apply(increment(tenant)),
      store.apply(increment(tenant, { counters: ['delivered'], dimensions: ['all', 'all'] })),
    ]);
    const [all] = await store.daily(tenant, 'all', '2026-03-02', '2026-03-02');
    expect(all?.counters).toEqual({ ...zeroCounters(), sent: 2, delivered: 1 });
    const [spring] = await store.daily(tenant, 'campaign:spring', '2026-03-02', '2026-03-02');
    expect(spring?.counters).toEqual({ ...zeroCounters(), sent: 1 });
  });

  it('returns the days with counters within the range, inclusive, for that tenant and dimension only', async () => {
    const tenant = uniqueId('tenant');
    for (const day of ['2026-02-28', '2026-03-01', '2026-03-03', '2026-03-05', '2026-03-06']) {
      await store.apply(increment(tenant, { day, counters: ['bounced'] }));
    }
    await store.apply(increment(uniqueId('tenant'), { day: '2026-03-03' }));
    await store.apply(increment(tenant, { day: '2026-03-03', dimensions: ['list:news'] }));

    const days = await store.daily(tenant, 'all', '2026-03-01', '2026-03-05');
    expect(days).toEqual(['2026-03-01', '2026-03-03', '2026-03-05'].map((day) => ({ day, counters: { ...zeroCounters(), bounced: 1 } })));
    expect(await store.daily(tenant, 'all', '2026-04-01', '2026-04-30')).toEqual([]);
    expect(await store.daily(tenant, 'all', '2026-03-05', '2026-03-01')).toEqual([]);
  });
});

describe('DynamoReportStore under transaction conflicts', () => {
  // DynamoDB Local serialises transactions, so the conflicts AWS reports are simulated here.
  function conflictingClient(conflicts: number) {
    let left = conflicts;
    return {
      send(command: TransactWriteItemsCommand) {
        if (left-- > 0) {
          return Promise.reject(
            new TransactionCanceledException({
              message: 'Transaction cancelled',
              $metadata: {},
              CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
            }),
          );
        }
        return client.send(command);
      },
    } as unknown as DynamoDBClient;
  }

  it('retries a conflicting transaction a few times, then lets the error through', async () => {
    const tenant = uniqueId('tenant');
    const retrying = new DynamoReportStore(conflictingClient(2), table);
    expect(await retrying.apply(increment(tenant))).toBe(true);
    expect((await store.daily(tenant, 'all', '2026-03-02', '2026-03-02'))[0]?.counters.sent).toBe(1);

    const failing = new DynamoReportStore(conflictingClient(10), table);
    await expect(failing.apply(increment(tenant))).rejects.toBeInstanceOf(TransactionCanceledException);
  });

  it('adds several counters at once, keeps a marker as long as asked, and lists the dimensions used', async () => {
    const tenant = uniqueId('tenant');
    const hard = increment(tenant, {
      counters: ['bounced', 'bounced_hard'],
      dimensions: ['all', 'tag:kind=receipt', 'domain:acme.test'],
      keepDays: 400,
    });
    expect(await store.apply(hard)).toBe(true);
    const [all] = await store.daily(tenant, 'all', '2026-03-02', '2026-03-02');
    expect(all?.counters).toEqual({ ...zeroCounters(), bounced: 1, bounced_hard: 1 });
    const marker = await client.send(new GetItemCommand({ TableName: table, Key: marshall({ pk: `applied#${hard.key}`, sk: '#' }) }));
    expect(unmarshall(marker.Item ?? {}).expiresAt).toBe(T0 / 1000 + 400 * 86_400);
    expect(await store.dimensions(tenant, 'tag:', 100)).toEqual(['tag:kind=receipt']);
    expect(await store.dimensions(tenant, 'domain:', 100)).toEqual(['domain:acme.test']);
    expect(await store.dimensions(uniqueId('tenant'), 'tag:', 100)).toEqual([]);
  });
});
