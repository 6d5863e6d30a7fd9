import { describe, expect, it } from 'vitest';
import { feedEntries, lookupValues } from '../../../lib/adapters/dynamodb/feed-entries.ts';
import {
  lookupPartition,
  shardOf,
  statusKeyOf,
  statusKeyWrite,
  tenantKeyOf,
  tenantOfKey,
  tenantPartition,
} from '../../../lib/adapters/dynamodb/feed-keys.ts';
import { messageItem, toMessageRecord } from '../../../lib/adapters/dynamodb/message-items.ts';
import { fromItem } from '../../../lib/adapters/dynamodb/marshalling.ts';
import type { StoredMessage } from '../../../lib/domain/message.ts';
import { FEED } from '../../../lib/topology.ts';

function stored(fields: Record<string, unknown> = {}): StoredMessage {
  const id = '01JD0000000000000000000001';
  const at = '2026-03-01T10:00:00.000Z';
  return {
    message: {
      id,
      tenant: 'acme',
      createdAt: at,
      updatedAt: at,
      messageIdHeader: '<x@acme.example>',
      envelopeFrom: 'shop@acme.example',
      content: { from: 'shop@acme.example', to: ['ann@example.com'], cc: [], bcc: [], replyTo: [], subject: 'Hi', headers: {} },
      tags: { kind: 'receipt', order: '42' },
      metadata: {},
      status: 'queued',
      attempts: 0,
      ...fields,
    },
    recipients: ['ann@example.com', 'audit@acme.example'].map((email, i) => ({
      messageId: id,
      email,
      kind: i === 0 ? ('to' as const) : ('bcc' as const),
      status: 'queued' as const,
      attempts: 0,
      updatedAt: at,
    })),
  };
}

describe('write shards', () => {
  it('puts an id on the same shard every time, and spreads ids evenly', () => {
    const counts = new Array<number>(FEED.shards).fill(0);
    // Fixed ids (made in one millisecond, as a burst's are), so the spread checked is the same on every run.
    for (let i = 0; i < 4000; i++) {
      const id = `01JD${i.toString(32).toUpperCase().padStart(22, '0')}`;
      expect(shardOf(id)).toBe(shardOf(id));
      counts[shardOf(id)]!++;
    }
    for (const count of counts) expect(count).toBeGreaterThan((4000 / FEED.shards) * 0.85);
    expect(shardOf('01JD0000000000000000000001', 7)).toBeLessThan(7);
  });
});

describe('the tenant key', () => {
  it('puts a message in its write shard of the tenant’s byTenant partitions, and reads back the tenant', () => {
    const id = '01JD0000000000000000000001';
    expect(tenantKeyOf('acme', id)).toBe(tenantPartition('acme', shardOf(id)));
    expect(tenantKeyOf('acme', id)).toBe(`acme#${shardOf(id)}`);
    expect(tenantOfKey(tenantKeyOf('acme', id))).toBe('acme');
    // Items written before the index was sharded hold the bare tenant.
    expect(tenantOfKey('acme')).toBe('acme');
  });

  it('is what a message item holds in `tenant`, and a MessageRecord shows the tenant alone', () => {
    const message = stored();
    const item = fromItem(messageItem(message, 1_800_000_000));
    expect(item.tenant).toBe(`acme#${shardOf(message.message.id)}`);
    expect(item.tenantAt).toBe('acme#2026-03-01T10:00:00.000Z');
    expect(toMessageRecord(item)).toEqual(message.message);
    expect(toMessageRecord({ ...item, tenant: 'acme' }).tenant).toBe('acme');
  });
});

describe('the status key', () => {
  it('is set for the statuses the index keeps and removed for the others', () => {
    const id = '01JD0000000000000000000001';
    expect(statusKeyOf(id, 'bounced')).toBe(`bounced#${shardOf(id)}`);
    expect(statusKeyOf(id, 'delivered')).toBeUndefined();
    expect(statusKeyWrite(id, 'failed')).toEqual({
      set: '#statusKey = :statusKey',
      names: { '#statusKey': 'statusKey' },
      values: { ':statusKey': `failed#${shardOf(id)}` },
    });
    expect(statusKeyWrite(id, 'sent')).toEqual({ remove: '#statusKey', names: { '#statusKey': 'statusKey' }, values: {} });
  });
});

describe('lookup entries', () => {
  it('has one per recipient, tag, campaign and template, on the message’s shard', () => {
    const message = stored({ campaign: 'C1', template: { id: 'welcome', version: 2 } });
    expect(lookupValues(message)).toEqual([
      ['to', 'ann@example.com'],
      ['to', 'audit@acme.example'],
      ['tag', 'kind=receipt'],
      ['tag', 'order=42'],
      ['campaign', 'C1'],
      ['template', 'welcome'],
    ]);
    const entries = feedEntries(message, 1_800_000_000).map((item) => fromItem(item));
    const shard = shardOf(message.message.id);
    expect(entries[0]).toEqual({
      pk: lookupPartition('acme', 'to', 'ann@example.com', shard),
      sk: '2026-03-01T10:00:00.000Z#01JD0000000000000000000001',
      expiresAt: 1_800_000_000,
    });
    expect(new Set(entries.map((e) => e.pk)).size).toBe(6);
  });

  it('keeps the value out of the key, at a fixed size whatever it is', () => {
    const long = lookupPartition('acme', 'tag', `k=${'é'.repeat(256)}`, 3);
    expect(long).toMatch(/^acme#tag#[A-Za-z0-9_-]{22}#3$/);
    expect(lookupPartition('acme', 'to', 'ann@example.com', 0)).not.toContain('ann');
    // Tenant, kind, value and shard each make another partition.
    const keys = [
      lookupPartition('acme', 'tag', 'a=1', 0),
      lookupPartition('acme2', 'tag', 'a=1', 0),
      lookupPartition('acme', 'campaign', 'a=1', 0),
      lookupPartition('acme', 'tag', 'a=2', 0),
      lookupPartition('acme', 'tag', 'a=1', 1),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});
