import { describe, expect, it } from 'vitest';
import { decodeFeedCursor, encodeFeedCursor, listingDigest } from '../../../lib/adapters/dynamodb/feed-cursor.ts';
import { feedSource, shardQuery } from '../../../lib/adapters/dynamodb/feed-sources.ts';
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

  it('keeps the tenant index to one partition, with open or closed ends', () => {
    const open = shardQuery(feedSource(tables, 'acme', {}), 0, { pk: 'x', sk: '#', tenant: 'acme', createdAt: 'y' }, 10);
    expect(open.KeyConditionExpression).toBe('#p = :p');
    expect(open.ExpressionAttributeNames).toEqual({ '#p': 'tenant' });
    expect(open.ExclusiveStartKey && fromItem(open.ExclusiveStartKey)).toEqual({ pk: 'x', sk: '#', tenant: 'acme', createdAt: 'y' });
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
  const positions = [{ kind: 'start' as const }, { kind: 'after' as const, key }, { kind: 'done' as const }, { kind: 'start' as const }];

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
    ['a key of another shard', [0, { ...key, statusKey: 'failed#2' }, 1, 0]],
    ['a key of another tenant', [0, { ...key, tenantAt: 'other#2026-03-01T10:00:00.000Z' }, 1, 0]],
    ['a key with a space', [0, { ...key, pk: 'a b' }, 1, 0]],
    ['too few shards', [0, 1]],
  ])('refuses %s', (_, shards) => {
    const values = (shards as unknown[]).map((s) => (typeof s === 'object' ? Object.values(s as object) : s));
    const cursor = Buffer.from(JSON.stringify({ q: digest, s: values })).toString('base64url');
    expect(() => decodeFeedCursor(cursor, digest, source)).toThrow(ValidationError);
  });
});
