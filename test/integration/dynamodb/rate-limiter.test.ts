import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromItem } from '../../../lib/adapters/dynamodb/marshalling.ts';
import { BULK_GAP, DynamoPacer } from '../../../lib/adapters/dynamodb/pacer.ts';
import { DynamoRateLimiter } from '../../../lib/adapters/dynamodb/rate-limiter.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { uniqueId } from './factories.ts';

const client = dynamoClient();
let table: string;
// A quarter past a second, ten minutes ahead: the counts expire (TTL) a minute after their
// second, and DynamoDB Local removes expired items, so the clock must not be in the past.
let now = Math.ceil(Date.now() / 1000) * 1000 + 600_000 + 250;
const clock = { now: () => new Date(now) };

beforeAll(async () => {
  table = (await freshTables(client)).rateLimits;
});
afterAll(() => client.destroy());

describe('DynamoRateLimiter', () => {
  it('lets the limit through in a second, refuses the next with the wait until the next second', async () => {
    const limiter = new DynamoRateLimiter(client, table, 3, clock);
    const tenant = uniqueId('tenant');
    for (let i = 0; i < 3; i++) expect(await limiter.take(tenant)).toBe(0);
    expect(await limiter.take(tenant)).toBe(1);
    // Another tenant has its own allowance.
    expect(await limiter.take(uniqueId('tenant'))).toBe(0);
    now += 1000;
    expect(await limiter.take(tenant)).toBe(0);
  });

  it('counts a dearer request by its cost, and lets one dearer than the limit through an empty second only', async () => {
    const limiter = new DynamoRateLimiter(client, table, 10, clock);
    const tenant = uniqueId('tenant');
    now += 1000;
    expect(await limiter.take(tenant, 8)).toBe(0);
    expect(await limiter.take(tenant, 3)).toBe(1);
    expect(await limiter.take(tenant, 2)).toBe(0);
    now += 1000;
    expect(await limiter.take(tenant, 50)).toBe(0);
    expect(await limiter.take(tenant, 1)).toBe(1);
  });

  it('never lets more than the limit through when many take at once', async () => {
    const limiter = new DynamoRateLimiter(client, table, 7, clock);
    const tenant = uniqueId('tenant');
    now += 1000;
    const waits = await Promise.all(Array.from({ length: 40 }, () => limiter.take(tenant)));
    expect(waits.filter((w) => w === 0)).toHaveLength(7);
    expect(waits.filter((w) => w === 1)).toHaveLength(33);
  });
});

describe('DynamoPacer', () => {
  // 10 per second: slots of 100 ms that take one recipient each.
  const slotStart = (slot: number) => slot * 100;

  it('takes one recipient per slot, and keeps every fifth slot for transactional mail', async () => {
    const table2 = table;
    let at = slotStart(Math.ceil((Date.now() + 600_000) / 100 / BULK_GAP) * BULK_GAP + BULK_GAP - 1);
    const pacer = new DynamoPacer(client, table2, 10, { now: () => new Date(at) });
    // A reserved slot: campaign mail finds no room, transactional mail does, once.
    expect(await pacer.acquire('bulk', 1, 0)).toBe(false);
    expect(await pacer.acquire('transactional', 1, 0)).toBe(true);
    expect(await pacer.acquire('transactional', 1, 0)).toBe(false);
    // The next slot is open to both; the first to ask takes it.
    at += 100;
    expect(await pacer.acquire('bulk', 1, 0)).toBe(true);
    expect(await pacer.acquire('transactional', 1, 0)).toBe(false);
  });
});

describe('DynamoRateLimiter in shards', () => {
  it('lets exactly the limit through one instance when the limit is spread over shards, with a write per block', async () => {
    // 1,000 a second: four shards of 250.
    const limiter = new DynamoRateLimiter(client, table, 1000, clock);
    const tenant = uniqueId('tenant');
    now += 1000;
    const waits = await Promise.all(Array.from({ length: 1200 }, () => limiter.take(tenant)));
    expect(waits.filter((w) => w === 0)).toHaveLength(1000);
    expect(waits.filter((w) => w === 1)).toHaveLength(200);
    const items = (await client.send(new ScanCommand({ TableName: table })))
      .Items!.map(fromItem)
      .filter((i) => String(i.pk).startsWith(`${tenant}#`));
    expect(items).toHaveLength(4);
    expect(items.map((i) => i.n)).toEqual([250, 250, 250, 250]);
  });

  it('never lets more than the limit through several instances taking at once', async () => {
    const limiters = Array.from({ length: 4 }, () => new DynamoRateLimiter(client, table, 600, clock));
    const tenant = uniqueId('tenant');
    now += 1000;
    let allowed = 0;
    // Each instance: 10 requests at a time, each until it is refused three times in a row.
    await Promise.all(
      limiters.flatMap((limiter) =>
        Array.from({ length: 10 }, async () => {
          for (let refused = 0; refused < 3;) {
            if ((await limiter.take(tenant)) === 0) {
              allowed++;
              refused = 0;
            } else refused++;
          }
        }),
      ),
    );
    expect(allowed).toBeLessThanOrEqual(600);
    // What the instances reserved and did not use is lost for the second, a block each at most.
    expect(allowed).toBeGreaterThan(600 * 0.75);
    now += 1000;
    expect(await limiters[0]!.take(tenant)).toBe(0);
  });
});
