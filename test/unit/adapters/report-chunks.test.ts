import { describe, expect, it } from 'vitest';
import {
  counterPartitions,
  counterShard,
  cutChunk,
  eventDigest,
  itemWrite,
  MAX_CHUNK_EVENTS,
  MAX_TRANSACTION_ACTIONS,
} from '../../../lib/adapters/dynamodb/report-chunks.ts';
import type { CounterIncrement } from '../../../lib/domain/report.ts';
import type { EventIncrements } from '../../../lib/ports/report-store.ts';
import { REPORTS } from '../../../lib/topology.ts';

function entry(id: string, extra: Partial<CounterIncrement> = {}, others: CounterIncrement[] = []): EventIncrements {
  return { id, increments: [{ key: id, tenant: 'acme', day: '2026-03-02', dimensions: ['all'], counters: ['sent'], ...extra }, ...others] };
}

describe('cutChunk', () => {
  it('sums the counters, amounts and hourly counts of a run per item, and leaves unique counts apart', async () => {
    const unique: CounterIncrement = {
      key: 'first:m1/zoe@example.org/opened',
      tenant: 'acme',
      day: '2026-03-02',
      dimensions: ['all'],
      counters: ['opened_unique'],
      keepDays: 400,
    };
    const batch = [
      entry('e1', { dimensions: ['all', 'tag:kind=news', 'all'], hour: '2026-03-02T10' }),
      entry('e2', { counters: ['converted'], amounts: { EUR: 0.1 } }),
      entry('e3', { counters: ['converted'], amounts: { EUR: 0.2, USD: 3 } }),
      entry('e4', { counters: ['opened'] }, [unique]),
      entry('e5', { counters: ['bounced', 'bounced_hard'], hour: '2026-03-02T10' }),
    ];
    const chunk = cutChunk(batch, 0);
    // Every item of the chunk in the write shard of its first event.
    const shard = counterShard('e1');
    expect(chunk.end).toBe(5);
    expect(chunk.single).toEqual([unique]);
    expect(chunk.summed.map((i) => i.key)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    const byKey = Object.fromEntries(
      chunk.items.map((item) => [
        `${item.pk} ${item.sk}`,
        { counters: Object.fromEntries(item.counters), amounts: item.amounts, expiresAt: item.expiresAt },
      ]),
    );
    expect(byKey).toEqual({
      [`acme#${shard}#all 2026-03-02`]: {
        counters: { sent: 1, converted: 2, opened: 1, bounced: 1, bounced_hard: 1 },
        amounts: { EUR: 0.3, USD: 3 },
        expiresAt: undefined,
      },
      [`acme#${shard}#tag:kind=news 2026-03-02`]: { counters: { sent: 1 }, amounts: {}, expiresAt: undefined },
      [`acme#${shard}#hourly 2026-03-02T10`]: {
        counters: { sent: 1, bounced: 1, bounced_hard: 1 },
        amounts: {},
        expiresAt: Date.parse('2026-03-02T10:00:00.000Z') / 1000 + 8 * 86_400,
      },
    });
    const write = itemWrite(
      'reports',
      chunk.items.find((item) => item.pk === `acme#${shard}#hourly`)!,
    );
    expect(write.Update?.UpdateExpression).toBe('ADD #c0 :c0, #c1 :c1, #c2 :c2 SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)');
  });

  it('cuts before the event that would take the transaction past its 100 actions, and starts where asked', () => {
    // Each event has a tag of its own: one new item per event beside the shared `all`.
    const batch = Array.from({ length: 250 }, (_, i) => entry(`e${i}`, { dimensions: ['all', `tag:n=${i}`] }));
    const first = cutChunk(batch, 0);
    expect(first.end).toBe(MAX_TRANSACTION_ACTIONS - 2);
    expect(first.items.length + 1).toBe(MAX_TRANSACTION_ACTIONS);
    const second = cutChunk(batch, first.end);
    expect(second.summed[0]?.key).toBe(`e${first.end}`);
    expect(second.end).toBe(2 * first.end);
    expect(cutChunk(batch, 240).end).toBe(250);
  });

  it('holds at most a thousand events, and always at least one', () => {
    const many = Array.from({ length: 1500 }, (_, i) => entry(`e${i}`));
    expect(cutChunk(many, 0).end).toBe(MAX_CHUNK_EVENTS);
    const wide = [entry('a', { dimensions: Array.from({ length: 120 }, (_, i) => `tag:n=${i}`) })];
    expect(cutChunk(wide, 0).end).toBe(1);
  });
});

describe('eventDigest', () => {
  it('is short, stable and tells ids apart', () => {
    expect(eventDigest('m1/sent/zoe@example.org/1')).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(eventDigest('m1/sent/zoe@example.org/1')).toBe(eventDigest('m1/sent/zoe@example.org/1'));
    expect(eventDigest('m1/sent/zoe@example.org/1')).not.toBe(eventDigest('m1/sent/zoe@example.org/2'));
  });
});

describe('counter shards', () => {
  it('puts a chunk in the shard of its first event, whatever follows, and spreads chunks over every shard', () => {
    const batch = Array.from({ length: 40 }, (_, i) => entry(`event-${i}`));
    const shardsOf = (from: number, to: number) => new Set(cutChunk(batch.slice(0, to), from).items.map((item) => item.pk));
    // A batch handed over again, shorter or longer, cuts its chunk at the same event into the same shard.
    expect(shardsOf(3, 40)).toEqual(new Set([`acme#${counterShard('event-3')}#all`]));
    expect(shardsOf(3, 10)).toEqual(shardsOf(3, 40));
    const used = new Set(batch.map((e) => counterShard(e.id)));
    expect(used.size).toBe(REPORTS.shards);
  });

  it('reads every shard and the item written before counters were sharded, which no shard key can be', () => {
    const partitions = counterPartitions('acme', 'tag:n=1#2');
    expect(partitions).toHaveLength(REPORTS.shards + 1);
    expect(partitions.at(-1)).toBe('acme#tag:n=1#2');
    expect(partitions.slice(0, -1)).toEqual(Array.from({ length: REPORTS.shards }, (_, n) => `acme#${n}#tag:n=1#2`));
    // An old key names a dimension (a letter after the tenant); a shard key a number.
    const dimensions = ['all', 'tag:n=1', 'tag:n=1#2', 'campaign:2#3', 'hourly'];
    const shardKeys = new Set(dimensions.flatMap((dimension) => counterPartitions('acme', dimension).slice(0, -1)));
    for (const dimension of dimensions) expect(shardKeys.has(`acme#${dimension}`), dimension).toBe(false);
  });
});
