/**
 * Listings of a tenant's messages on DynamoDB Local, across the write shards of the `byTenant`
 * index and its unsharded partition (items written before it was sharded): the store's pages,
 * the activity feed's and the export's timeline list every message once, in time order and in
 * the same order whatever the page size, and never another tenant's.
 */
import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expiryAfter, toItem } from '../../../lib/adapters/dynamodb/marshalling.ts';
import { DynamoMessageBatchWriter } from '../../../lib/adapters/dynamodb/message-batch-writer.ts';
import { DynamoMessageFeed } from '../../../lib/adapters/dynamodb/message-feed.ts';
import { messageItem } from '../../../lib/adapters/dynamodb/message-items.ts';
import { DynamoMessageStore } from '../../../lib/adapters/dynamodb/message-store.ts';
import { DynamoMessageTimeline } from '../../../lib/adapters/dynamodb/message-timeline.ts';
import type { TableNames } from '../../../lib/config.ts';
import { ValidationError } from '../../../lib/domain/errors.ts';
import type { MessageRecord, StoredMessage } from '../../../lib/domain/message.ts';
import { FEED } from '../../../lib/topology.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { iso, storedMessage, uniqueId } from './factories.ts';

const client = dynamoClient();
let tables: TableNames;
let store: DynamoMessageStore;
let feed: DynamoMessageFeed;

// A tenant, another whose id starts with the first's, and a third with the same times.
const tenant = uniqueId('t');
const prefixed = `${tenant}-2`;
const other = uniqueId('t');
/** Every message of each tenant, by id: its creation time. */
const created = new Map<string, Map<string, string>>();

/** `count` messages of `tenant`, each created at `at(i)`. */
function messages(of: string, count: number, at: (i: number) => string): StoredMessage[] {
  const list = Array.from({ length: count }, (_, i) => storedMessage({ tenant: of, createdAt: at(i), recipients: [`r${i}@example.com`] }));
  const times = created.get(of) ?? new Map<string, string>();
  for (const { message } of list) times.set(message.id, message.createdAt);
  created.set(of, times);
  return list;
}

beforeAll(async () => {
  tables = await freshTables(client);
  store = new DynamoMessageStore(client, tables.messages, { feedTable: tables.feed });
  feed = new DynamoMessageFeed(client, tables);
  const writer = new DynamoMessageBatchWriter(client, { messages: tables.messages, events: tables.events, feed: tables.feed });
  // 40 messages a second apart, then 30 in one millisecond (a batch), then 5 accepted by create.
  await writer.writeNew(
    [
      ...messages(tenant, 40, (i) => iso(i * 1000)),
      ...messages(tenant, 30, () => iso(50_000)),
      ...messages(prefixed, 6, (i) => iso(i * 1000)),
    ],
    [],
  );
  for (const stored of messages(tenant, 5, (i) => iso(60_000 + i))) await store.create(stored);
  await writer.writeNew(
    messages(other, 20, (i) => iso(i * 1000 + 500)),
    [],
  );
  // Messages written before the index was sharded: their `tenant` is the tenant alone. Some
  // share a time with sharded ones.
  for (const { message } of messages(tenant, 6, (i) => (i < 3 ? iso(50_000) : iso(i * 7000 + 1)))) {
    const item = { ...messageItem({ message, recipients: [] }, expiryAfter(message.createdAt, 10)), ...toItem({ tenant }) };
    await client.send(new PutItemCommand({ TableName: tables.messages, Item: item }));
  }
});
afterAll(() => client.destroy());

/** Newest first, as a listing orders them. */
const newestFirst = (of: string) => [...created.get(of)!.entries()].sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));

/** Every page of a listing, `limit` at a time, with the cursors checked to be opaque. */
async function pages(
  read: (cursor: string | undefined) => Promise<{ items: MessageRecord[]; cursor?: string }>,
): Promise<MessageRecord[][]> {
  const all: MessageRecord[][] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    all.push(page.items);
    cursor = page.cursor;
    if (cursor !== undefined) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  } while (cursor !== undefined && all.length < 500);
  expect(cursor).toBeUndefined();
  return all;
}

/** Checks a listing holds each of the tenant's messages once, in time order (`newest` first or last). */
function expectComplete(listed: MessageRecord[], of: string, newest: 'first' | 'last'): void {
  const ids = listed.map((m) => m.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual([...created.get(of)!.keys()].sort());
  for (const message of listed) expect(message.tenant).toBe(of);
  const times = listed.map((m) => m.createdAt);
  expect(times).toEqual(
    newestFirst(of)
      .map(([, at]) => at)
      [newest === 'first' ? 'slice' : 'reverse'](),
  );
}

describe('the byTenant index, write-sharded', () => {
  it('spreads one tenant’s messages over its shards, and keeps older ones in the unsharded partition', async () => {
    const partitions = new Set<string>();
    for (const value of [...Array.from({ length: FEED.shards }, (_, s) => `${tenant}#${s}`), tenant]) {
      const page = await client.send(
        new QueryCommand({
          TableName: tables.messages,
          IndexName: 'byTenant',
          KeyConditionExpression: 'tenant = :t',
          ExpressionAttributeValues: marshall({ ':t': value }),
        }),
      );
      for (const item of page.Items ?? []) partitions.add(String(unmarshall(item).tenant));
    }
    expect(partitions.size).toBeGreaterThan(FEED.shards / 2);
    expect(partitions.has(tenant)).toBe(true);
  });

  it.each([1, 7, 64, 1000])('lists every message once, newest first, the same order in pages of %i', async (limit) => {
    const all = await pages((cursor) => store.listByTenant(tenant, { limit, ...(cursor && { cursor }) }));
    for (const page of all.slice(0, -1)) expect(page.length).toBeLessThanOrEqual(limit);
    expectComplete(all.flat(), tenant, 'first');
    const reference = (await pages((cursor) => store.listByTenant(tenant, { limit: 1000, ...(cursor && { cursor }) }))).flat();
    // Equal times (30 in one millisecond, and older items among them) come in one stable order.
    expect(all.flat().map((m) => m.id)).toEqual(reference.map((m) => m.id));
  });

  it('serves the activity feed without filters the same way', async () => {
    const listing = (limit: number) =>
      pages((cursor) => feed.page(tenant, {}, { limit, now: Date.now(), ...(cursor && { cursor }) })).then((p) => p.flat());
    const bySeven = await listing(7);
    expectComplete(bySeven, tenant, 'first');
    expect(bySeven.map((m) => m.id)).toEqual((await listing(1000)).map((m) => m.id));
    expect((await store.listByTenant(tenant, { limit: 1000 })).items.map((m) => m.id)).toEqual(bySeven.map((m) => m.id));
  });

  it('walks the export’s timeline oldest first, both ends included, whatever the page size', async () => {
    const walk = async (pageSize: number, start: string, end: string) => {
      const listed: MessageRecord[] = [];
      for await (const message of new DynamoMessageTimeline(client, tables.messages, { pageSize }).between(tenant, start, end))
        listed.push(message);
      return listed;
    };
    const all = await walk(3, iso(0), iso(120_000));
    expectComplete(all, tenant, 'last');
    expect((await walk(100, iso(0), iso(120_000))).map((m) => m.id)).toEqual(all.map((m) => m.id));
    // From the 30 in one millisecond to the last of the seconds before them: both ends are in.
    const range = await walk(4, iso(39_000), iso(50_000));
    expect(range.map((m) => m.createdAt)).toEqual([iso(39_000), ...Array.from({ length: 33 }, () => iso(50_000))]);
  });

  it('keeps tenants apart, a tenant whose id starts with another’s included', async () => {
    for (const of of [other, prefixed]) {
      const listed = (await pages((cursor) => store.listByTenant(of, { limit: 4, ...(cursor && { cursor }) }))).flat();
      expectComplete(listed, of, 'first');
      const fed = (await pages((cursor) => feed.page(of, {}, { limit: 4, now: Date.now(), ...(cursor && { cursor }) }))).flat();
      expect(fed.map((m) => m.id)).toEqual(listed.map((m) => m.id));
    }
    const timeline = new DynamoMessageTimeline(client, tables.messages);
    const walked: string[] = [];
    for await (const message of timeline.between(prefixed, iso(0), iso(120_000))) walked.push(message.id);
    expect(walked.sort()).toEqual([...created.get(prefixed)!.keys()].sort());
    expect((await store.listByTenant(uniqueId('t'), { limit: 10 })).items).toEqual([]);
  });

  it('refuses another tenant’s cursor, and the cursors of the unsharded index, with ValidationError', async () => {
    const { cursor } = await store.listByTenant(tenant, { limit: 3 });
    expect(cursor).toBeDefined();
    await expect(store.listByTenant(other, { limit: 3, cursor: cursor! })).rejects.toBeInstanceOf(ValidationError);
    await expect(store.listByTenant(prefixed, { limit: 3, cursor: cursor! })).rejects.toBeInstanceOf(ValidationError);
    const [id, at] = newestFirst(tenant)[0]!;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
    // The index's LastEvaluatedKey, as the store's cursor was; the feed's, with one shard.
    const { q } = JSON.parse(Buffer.from(cursor!, 'base64url').toString('utf8')) as { q: string };
    for (const old of [encode({ pk: id, sk: '#', tenant, createdAt: at }), encode({ q, s: [[id, '#', tenant, at]] })]) {
      const error = await store.listByTenant(tenant, { limit: 3, cursor: old }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toEqual([expect.objectContaining({ field: 'cursor' })]);
    }
  });

  it('cancels a message by its tenant, sharded or written before, and no other', async () => {
    const scheduled = storedMessage({ tenant: other, createdAt: iso(90_000) });
    scheduled.message.status = 'scheduled';
    scheduled.message.sendAt = iso(86_400_000);
    await store.create(scheduled);
    expect(await store.cancel(scheduled.message.id, tenant, iso(91_000))).toEqual({ kind: 'missing' });
    expect(await store.cancel(scheduled.message.id, other, iso(91_000))).toMatchObject({ kind: 'canceled' });
    const legacy = storedMessage({ tenant: other, createdAt: iso(92_000) });
    const item = { ...messageItem(legacy, expiryAfter(legacy.message.createdAt, 10)), ...toItem({ tenant: other }) };
    await client.send(new PutItemCommand({ TableName: tables.messages, Item: item }));
    expect(await store.cancel(legacy.message.id, other, iso(93_000))).toMatchObject({
      kind: 'canceled',
      stored: { message: { tenant: other } },
    });
  });
});
