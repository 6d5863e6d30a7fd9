import { describe, expect, it } from 'vitest';
import { decodeFeedCursor, encodeFeedCursor, listingDigest } from '../../../lib/adapters/dynamodb/feed-cursor.ts';
import { feedSource, shardQuery, tenantSource } from '../../../lib/adapters/dynamodb/feed-sources.ts';
import { fromItem } from '../../../lib/adapters/dynamodb/marshalling.ts';
import { ValidationError } from '../../../lib/domain/errors.ts';
import { FEED } from '../../../lib/topology.ts';

const tables = { messages: 'messages', feed: 'feed' };

describe('feedSource', () => {
  it.each<[string, Parameters<typeof feedSource>[2], string]>([
    ['the tenant index without a filter', {}, 'byTenant'],
    ['the tenant index for a status it does not index', { status: 'delivered' }, 'byTenant'],
    ['the status index for one it does', { status: 'bounced' }, 'byStatus'],
    ['the recipient before anything', { status: 'bounced', recipient: 'a@b.example', tag: { name: 'k', value: 'v' }, campaign: 'C' }, 'to'],
    ['the campaign before a template', { campaign: 'C', template: 'T', tag: { name: 'k', value: 'v' } }, 'campaign'],
    ['the template before a status', { template: 'T', status: 'failed' }, 'template'],
    ['an indexed status before a tag', { tag: { name: 'k', value: 'v' }, status: 'failed' }, 'byStatus'],
    ['a tag before a status read from the tenant’s messages', { tag: { name: 'k', value: 'v' }, status: 'sent' }, 'tag'],
  ])('reads %s', (_, filter, name) => {
    expect(feedSource(tables, 'acme', filter).name).toBe(name);
  });

  it('queries every shard of a sharded key, newest first, within the times', () => {
    const source = feedSource(tables, 'acme', { status: 'failed', after: '2026-03-01T10:00:00.000Z', before: '2026-03-02T00:00:00.000Z' });
    expect(source.partitions).toEqual(Array.from({ length: FEED.shards }, (_, s) => `failed#${s}`));
    const query = shardQuery(source, 2, undefined, 50);
    expect(query).toMatchObject({
      TableName: 'messages',
      IndexName: 'byStatus',
      KeyConditionExpression: '#p = :p AND #s BETWEEN :low AND :high',
      ExpressionAttributeNames: { '#p': 'statusKey', '#s': 'tenantAt' },
      ScanIndexForward: false,
      Limit: 50,
    });
    expect(fromItem(query.ExpressionAttributeValues!)).toEqual({
      ':p': 'failed#2',
      ':low': 'acme#2026-03-01T10:00:00.001Z',
      ':high': 'acme#2026-03-01T23:59:59.999Z',
    });
  });

  it('reads the tenant index’s write shards and then its unsharded partition, with open or closed ends', () => {
    const source = feedSource(tables, 'acme', {});
    expect(source.partitions).toEqual([...Array.from({ length: FEED.shards }, (_, s) => `acme#${s}`), 'acme']);
    expect(tenantSource('messages', 'acme')).toEqual({ ...source, idOf: expect.any(Function) });
    const open = shardQuery(source, 3, { pk: 'x', sk: '#', tenant: 'acme#3', createdAt: 'y' }, 10);
    expect(open.KeyConditionExpression).toBe('#p = :p');
    expect(open.ExpressionAttributeNames).toEqual({ '#p': 'tenant' });
    expect(fromItem(open.ExpressionAttributeValues!)).toEqual({ ':p': 'acme#3' });
    expect(open.ExclusiveStartKey && fromItem(open.ExclusiveStartKey)).toEqual({ pk: 'x', sk: '#', tenant: 'acme#3', createdAt: 'y' });
    expect(fromItem(shardQuery(source, FEED.shards, undefined, 10).ExpressionAttributeValues!)).toEqual({ ':p': 'acme' });
    // The export's timeline reads oldest first, within inclusive times.
    const between = shardQuery(tenantSource('messages', 'acme', { low: 'a', high: 'b' }), 0, undefined, 10, true);
    expect(between).toMatchObject({ KeyConditionExpression: '#p = :p AND #s BETWEEN :low AND :high', ScanIndexForward: true });
    expect(shardQuery(feedSource(tables, 'acme', { after: '2026-03-01T10:00:00.000Z' }), 0, undefined, 10).KeyConditionExpression).toBe(
      '#p = :p AND #s >= :low',
    );
    const lookup = feedSource(tables, 'acme', { tag: { name: 'k', value: 'v' }, before: '2026-03-01T10:00:00.000Z' });
    expect(fromItem(shardQuery(lookup, 0, undefined, 10).ExpressionAttributeValues!)[':high']).toBe('2026-03-01T09:59:59.999Z#~');
  });

  it('knows when the times leave nothing between them', () => {
    expect(feedSource(tables, 'acme', { after: '2026-03-01T10:00:00.000Z', before: '2026-03-01T10:00:00.001Z' }).empty).toBe(true);
    expect(feedSource(tables, 'acme', { after: '2026-03-01T10:00:00.000Z', before: '2026-03-01T10:00:00.002Z' }).empty).toBe(false);
  });
});

describe('the feed cursor', () => {
  const filter = { status: 'failed' as const };
  const source = feedSource(tables, 'acme', filter);
  const digest = listingDigest('acme', source, filter);
  const key = { pk: '01JD0000000000000000000001', sk: '#', statusKey: 'failed#1', tenantAt: 'acme#2026-03-01T10:00:00.000Z' };
  const positions = [
    { kind: 'start' as const },
    { kind: 'after' as const, key },
    { kind: 'done' as const },
    ...Array.from({ length: FEED.shards - 3 }, () => ({ kind: 'start' as const })),
  ];
  const rest = Array.from({ length: FEED.shards - 3 }, () => 0);

  it('reads back the positions it holds', () => {
    expect(decodeFeedCursor(encodeFeedCursor(digest, source, positions), digest, source)).toEqual(positions);
  });

  it('belongs to one tenant and one listing', () => {
    const cursor = encodeFeedCursor(digest, source, positions);
    const other = feedSource(tables, 'other', filter);
    expect(() => decodeFeedCursor(cursor, listingDigest('other', other, filter), other)).toThrow(ValidationError);
    const after = { ...filter, after: '2026-01-01T00:00:00.000Z' };
    expect(() => decodeFeedCursor(cursor, listingDigest('acme', source, after), source)).toThrow(ValidationError);
  });

  it.each<[string, unknown]>([
    ['a key of another shard', [0, { ...key, statusKey: 'failed#2' }, 1, ...rest]],
    ['a key of another tenant', [0, { ...key, tenantAt: 'other#2026-03-01T10:00:00.000Z' }, 1, ...rest]],
    ['a key with a space', [0, { ...key, pk: 'a b' }, 1, ...rest]],
    ['too few shards', [0, 1]],
    ['as many shards as the feed had before it had 16', [0, { ...key }, 1, 0]],
  ])('refuses %s', (_, shards) => {
    const values = (shards as unknown[]).map((s) => (typeof s === 'object' ? Object.values(s as object) : s));
    const cursor = Buffer.from(JSON.stringify({ q: digest, s: values })).toString('base64url');
    expect(() => decodeFeedCursor(cursor, digest, source)).toThrow(ValidationError);
  });
});

describe('the tenant listing’s cursor', () => {
  const source = tenantSource('messages', 'acme');
  const digest = listingDigest('acme', source, {});
  const key = { pk: '01JD0000000000000000000001', sk: '#', tenant: 'acme#5', createdAt: '2026-03-01T10:00:00.000Z' };

  it('holds a position per shard, the unsharded partition’s included', () => {
    const positions = source.partitions.map((_, shard) =>
      shard === 5 ? { kind: 'after' as const, key } : shard === FEED.shards ? { kind: 'done' as const } : { kind: 'start' as const },
    );
    expect(decodeFeedCursor(encodeFeedCursor(digest, source, positions), digest, source)).toEqual(positions);
    // The unsharded partition holds keys with the bare tenant.
    const legacy = { ...key, tenant: 'acme' };
    const last = source.partitions.map((_, shard) =>
      shard === FEED.shards ? { kind: 'after' as const, key: legacy } : { kind: 'done' as const },
    );
    expect(decodeFeedCursor(encodeFeedCursor(digest, source, last), digest, source)).toEqual(last);
  });

  it('refuses the cursor of the unsharded index (its LastEvaluatedKey) and a key on the wrong shard', () => {
    const before = Buffer.from(JSON.stringify({ ...key, tenant: 'acme' })).toString('base64url');
    expect(() => decodeFeedCursor(before, digest, source)).toThrow(ValidationError);
    const wrong = source.partitions.map((_, shard) => (shard === 4 ? Object.values(key) : 0));
    const cursor = Buffer.from(JSON.stringify({ q: digest, s: wrong })).toString('base64url');
    expect(() => decodeFeedCursor(cursor, digest, source)).toThrow(ValidationError);
  });
});
