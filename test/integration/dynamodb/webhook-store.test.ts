import { GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { monotonicFactory } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachedWebhookStore, WEBHOOK_ENDPOINT_CACHE_MS } from '../../../lib/adapters/cached-webhook-store.ts';
import { fromItem, toItem } from '../../../lib/adapters/dynamodb/marshalling.ts';
import { deliveryPartition, legacyDeliveryPartition } from '../../../lib/adapters/dynamodb/webhook-delivery-keys.ts';
import { DynamoWebhookDeliveryStore } from '../../../lib/adapters/dynamodb/webhook-delivery-store.ts';
import { WEBHOOKS } from '../../../lib/topology.ts';
import { DynamoWebhookStore } from '../../../lib/adapters/dynamodb/webhook-store.ts';
import { ValidationError } from '../../../lib/domain/errors.ts';
import { WebhookLimitError, type WebhookEndpoint } from '../../../lib/domain/webhook.ts';
import { deliveryId } from '../../../lib/domain/webhook-delivery.ts';
import type { AttemptRecord } from '../../../lib/ports/webhook-store.ts';
import { clockAt } from '../../support/fakes/index.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { iso, T0, uniqueId } from './factories.ts';

// Ids made in the same millisecond still sort in the order they were made, as the listings expect.
const ulid = monotonicFactory();
const client = dynamoClient();
let table: string;
let endpoints: DynamoWebhookStore;
let deliveries: DynamoWebhookDeliveryStore;

beforeAll(async () => {
  table = (await freshTables(client)).webhooks;
  endpoints = new DynamoWebhookStore(client, table);
  deliveries = new DynamoWebhookDeliveryStore(client, table);
});
afterAll(() => client.destroy());

function endpoint(tenant: string, extra: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return {
    id: ulid(),
    tenant,
    url: 'https://hooks.example.com/in',
    events: ['*'],
    description: '',
    enabled: true,
    secret: { keyId: 'kek-1', iv: 'aXY=', tag: 'dGFn', ciphertext: 'c2VjcmV0' },
    version: 1,
    createdAt: iso(),
    updatedAt: iso(),
    ...extra,
  };
}

describe('DynamoWebhookStore', () => {
  it('stores, reads, pages and deletes endpoints, tenant by tenant', async () => {
    const tenant = uniqueId('t');
    const made = [endpoint(tenant), endpoint(tenant), endpoint(tenant)];
    for (const e of made) await endpoints.create(e, 10);
    await endpoints.create(endpoint(uniqueId('other')), 10);

    expect(await endpoints.get(tenant, made[0]!.id)).toEqual(made[0]);
    expect(await endpoints.get('someone-else', made[0]!.id)).toBeUndefined();
    expect(await endpoints.all(tenant)).toEqual(made);
    const first = await endpoints.list(tenant, { limit: 2 });
    expect(first.items).toEqual(made.slice(0, 2));
    const second = await endpoints.list(tenant, { limit: 2, cursor: first.cursor! });
    expect(second).toEqual({ items: made.slice(2) });
    await expect(endpoints.list('someone-else', { limit: 2, cursor: first.cursor! })).rejects.toBeInstanceOf(ValidationError);

    expect(await endpoints.delete(made[1]!)).toBe(true);
    expect(await endpoints.delete(made[1]!)).toBe(false);
    expect((await endpoints.all(tenant)).map((e) => e.id)).toEqual([made[0]!.id, made[2]!.id]);
  });

  it('keeps each tenant to its limit however many creates run at once, and frees a place on delete', async () => {
    const tenant = uniqueId('t');
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => endpoints.create(endpoint(tenant), 3)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(WebhookLimitError);
    const kept = await endpoints.all(tenant);
    expect(kept).toHaveLength(3);
    await expect(endpoints.create(endpoint(tenant), 3)).rejects.toBeInstanceOf(WebhookLimitError);
    await endpoints.delete(kept[0]!);
    await endpoints.create(endpoint(tenant), 3);
    expect(await endpoints.all(tenant)).toHaveLength(3);
  });

  it('replaces an endpoint only at the version it was read', async () => {
    const current = endpoint(uniqueId('t'));
    await endpoints.create(current, 10);
    const next = { ...current, url: 'https://hooks.example.com/v2', version: 2, updatedAt: iso(1000) };
    expect(await endpoints.replace(current, next)).toBe(true);
    expect(await endpoints.replace(current, { ...next, url: 'https://stale.example.com/' })).toBe(false);
    expect(await endpoints.get(current.tenant, current.id)).toEqual(next);
  });

  it('keeps since when an endpoint fails, until a success', async () => {
    const e = endpoint(uniqueId('t'));
    await endpoints.create(e, 10);
    expect(await endpoints.noteFailure(e.tenant, e.id, iso(1000))).toBe(iso(1000));
    expect(await endpoints.noteFailure(e.tenant, e.id, iso(2000))).toBe(iso(1000));
    expect((await endpoints.get(e.tenant, e.id))?.failingSince).toBe(iso(1000));
    await endpoints.noteSuccess(e.tenant, e.id);
    await endpoints.noteSuccess(e.tenant, e.id);
    expect((await endpoints.get(e.tenant, e.id))?.failingSince).toBeUndefined();
    expect(await endpoints.noteFailure(e.tenant, ulid(), iso())).toBeUndefined();
    // A failure noted on a gone endpoint does not bring an item back.
    expect(await endpoints.get(e.tenant, 'gone')).toBeUndefined();
  });

  it('disables an endpoint once, however many deliveries find it gone', async () => {
    const e = endpoint(uniqueId('t'));
    await endpoints.create(e, 10);
    const results = await Promise.all([1, 2, 3].map(() => endpoints.disable(e.tenant, e.id, 'gone', iso(5000))));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await endpoints.get(e.tenant, e.id)).toMatchObject({ enabled: false, disabledReason: 'gone', version: 2, updatedAt: iso(5000) });
    expect(await endpoints.disable(e.tenant, ulid(), 'gone', iso())).toBe(false);
  });
});

describe('CachedWebhookStore', () => {
  it('keeps an endpoint a few seconds, drops it on a change made through it, and keeps no endpoint it did not find', async () => {
    const tenant = uniqueId('t');
    const clock = clockAt(T0);
    const cached = new CachedWebhookStore(endpoints, { clock });
    const made = endpoint(tenant);
    expect(await cached.get(tenant, made.id)).toBeUndefined();
    await endpoints.create(made, 10);
    expect(await cached.get(tenant, made.id)).toEqual(made);
    // Changed elsewhere (the API): seen once the entry expires.
    const renamed = { ...made, description: 'renamed', version: 2 };
    expect(await endpoints.replace(made, renamed)).toBe(true);
    expect(await cached.get(tenant, made.id)).toEqual(made);
    clock.advance(WEBHOOK_ENDPOINT_CACHE_MS + 1);
    expect(await cached.get(tenant, made.id)).toEqual(renamed);
    // Changed through it: seen at once.
    expect(await cached.disable(tenant, made.id, 'gone', iso())).toBe(true);
    expect(await cached.get(tenant, made.id)).toMatchObject({ enabled: false });
    await cached.noteFailure(tenant, made.id, iso(5000));
    expect(await cached.get(tenant, made.id)).toMatchObject({ failingSince: iso(5000) });
  });
});

describe('DynamoWebhookDeliveryStore', () => {
  const tenant = uniqueId('t');
  const endpointId = ulid();
  const attempt = (n: number, extra: Partial<AttemptRecord> = {}): AttemptRecord => ({
    id: deliveryId(endpointId, `e${n}`, iso(n * 1000)),
    tenant,
    endpointId,
    eventId: `e${n}`,
    type: 'sent',
    body: JSON.stringify({ id: `e${n}`, type: 'sent' }),
    at: iso(n * 1000),
    status: 'retrying',
    attempted: true,
    statusCode: 500,
    error: 'answered 500',
    durationMs: 12,
    nextAttemptAt: iso(n * 1000 + 5000),
    ...extra,
  });

  it('creates the record on the first try and counts the tries after', async () => {
    const first = await deliveries.record(attempt(1));
    expect(first).toEqual({
      id: attempt(1).id,
      tenant,
      endpointId,
      eventId: 'e1',
      type: 'sent',
      body: attempt(1).body,
      status: 'retrying',
      attempts: 1,
      lastStatusCode: 500,
      lastError: 'answered 500',
      durationMs: 12,
      nextAttemptAt: iso(6000),
      createdAt: iso(1000),
      updatedAt: iso(1000),
    });
    const second = await deliveries.record({
      ...attempt(1),
      at: iso(7000),
      status: 'succeeded',
      statusCode: 204,
      error: undefined,
      durationMs: 30,
      nextAttemptAt: undefined,
    });
    expect(second).toEqual({
      ...first,
      status: 'succeeded',
      attempts: 2,
      lastStatusCode: 204,
      lastError: undefined,
      durationMs: 30,
      nextAttemptAt: undefined,
      updatedAt: iso(7000),
    });
    expect(second).not.toHaveProperty('lastError');
    expect(await deliveries.get(tenant, endpointId, first.id)).toEqual(second);
    // Recorded without a request: not counted as a try.
    const skipped = await deliveries.record({
      ...attempt(1),
      attempted: false,
      status: 'failed',
      error: 'endpoint disabled',
      statusCode: undefined,
    });
    expect(skipped.attempts).toBe(2);
  });

  it('expires each record after the retention', async () => {
    const record = await deliveries.record(attempt(2));
    const item = await client.send(
      new GetItemCommand({ TableName: table, Key: toItem({ pk: deliveryPartition(tenant, endpointId, record.id), sk: record.id }) }),
    );
    expect(fromItem(item.Item!).expiresAt).toBe(Math.floor((T0 + 2000) / 1000) + 14 * 86_400);
  });

  it('lists an endpoint’s deliveries newest first, in pages', async () => {
    for (const n of [3, 4, 5]) await deliveries.record(attempt(n));
    const page = await deliveries.list(tenant, endpointId, { limit: 3 });
    expect(page.items.map((d) => d.eventId)).toEqual(['e5', 'e4', 'e3']);
    const rest = await deliveries.list(tenant, endpointId, { limit: 3, cursor: page.cursor! });
    expect(rest.items.map((d) => d.eventId)).toEqual(['e2', 'e1']);
    expect((await deliveries.list(tenant, ulid(), { limit: 3 })).items).toEqual([]);
  });

  it('writes an endpoint’s deliveries across its shards and pages them newest first, each once', async () => {
    const endpointId = ulid();
    const made: string[] = [];
    for (let n = 0; n < 150; n++) {
      const record = await deliveries.record({ ...attempt(n), endpointId, id: deliveryId(endpointId, `e${n}`, iso(n * 1000)) });
      made.push(record.id);
    }
    const keys = new Set(made.map((id) => deliveryPartition(tenant, endpointId, id)));
    // 150 deliveries over 64 shards: most shards hold some, none holds many.
    expect(keys.size).toBeGreaterThan(WEBHOOKS.deliveryShards / 2);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await deliveries.list(tenant, endpointId, { limit: 40, ...(cursor && { cursor }) });
      expect(page.items.length).toBeLessThanOrEqual(40);
      seen.push(...page.items.map((d) => d.id));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual([...made].sort().reverse());
    // A cursor belongs to its endpoint's log.
    const first = await deliveries.list(tenant, endpointId, { limit: 10 });
    await expect(deliveries.list(tenant, ulid(), { limit: 10, cursor: first.cursor! })).rejects.toBeInstanceOf(ValidationError);
    await expect(deliveries.list(tenant, endpointId, { limit: 10, cursor: 'bm90LWEtY3Vyc29y' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('lists deliveries recorded before the log was sharded, and moves one to its shard when it is read again', async () => {
    const endpointId = ulid();
    const old = { ...attempt(20), endpointId, id: deliveryId(endpointId, 'e20', iso(20_000)) };
    const legacyItem = {
      pk: legacyDeliveryPartition(tenant, endpointId),
      sk: old.id,
      id: old.id,
      tenant,
      endpointId,
      eventId: old.eventId,
      type: old.type,
      body: old.body,
      status: 'retrying',
      attempts: 1,
      createdAt: old.at,
      updatedAt: old.at,
      expiresAt: Math.floor(T0 / 1000) + 86_400,
    };
    await client.send(new PutItemCommand({ TableName: table, Item: toItem(legacyItem) }));
    const recent = await deliveries.record({ ...attempt(21), endpointId, id: deliveryId(endpointId, 'e21', iso(21_000)) });
    expect((await deliveries.list(tenant, endpointId, { limit: 10 })).items.map((d) => d.id)).toEqual([recent.id, old.id]);
    // A first try reads its shard alone.
    expect(await deliveries.get(tenant, endpointId, old.id, { firstTry: true })).toBeUndefined();
    // Any other read finds it, and the next try updates the one item, in its shard.
    expect(await deliveries.get(tenant, endpointId, old.id)).toMatchObject({ id: old.id, attempts: 1, status: 'retrying' });
    const next = await deliveries.record({ ...old, at: iso(30_000), status: 'succeeded', statusCode: 200, nextAttemptAt: undefined });
    expect(next).toMatchObject({ attempts: 2, status: 'succeeded', createdAt: old.at });
    const left = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: toItem({ ':pk': legacyDeliveryPartition(tenant, endpointId) }),
      }),
    );
    expect(left.Items).toEqual([]);
    expect((await deliveries.list(tenant, endpointId, { limit: 10 })).items.map((d) => [d.id, d.attempts])).toEqual([
      [recent.id, 1],
      [old.id, 2],
    ]);
    // Read again (a stale reader): still one item.
    expect(await deliveries.get(tenant, endpointId, old.id)).toMatchObject({ attempts: 2 });
  });
});
