import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShardMerge, type ShardPosition, type ShardReader, type StartKey } from '../../../lib/adapters/dynamodb/shard-merge.ts';

interface Entry {
  id: string;
  at: string;
}

/** Newest first as a Query with ScanIndexForward false orders them: by time, then by id (the table key). */
const newestFirst = (a: Entry, b: Entry) => {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  return a.id === b.id ? 0 : a.id < b.id ? 1 : -1;
};

/**
 * Shards in memory that page like DynamoDB: a read starts after the given key (wherever that
 * key would sort, present or not), stops at `limit`, and returns the last key read when it
 * stopped there (even at the very end); with `emptyPages`, some reads stop early with no
 * entries but a key, as a Query with a filter does.
 */
function memoryShards(shards: Entry[][], options: { emptyPages?: boolean; oldestFirst?: boolean } = {}) {
  const order = options.oldestFirst ? (a: Entry, b: Entry) => newestFirst(b, a) : newestFirst;
  const sorted = shards.map((entries) => [...entries].sort(order));
  const reads: { shard: number; limit: number }[] = [];
  let flip = 0;
  const reader: ShardReader<Entry> = {
    shards: shards.length,
    ...(options.oldestFirst && { oldestFirst: true }),
    async read(shard, after, limit) {
      reads.push({ shard, limit });
      const all = sorted[shard]!;
      let start = 0;
      if (after) {
        const key = { id: after.id!, at: after.at! };
        start = all.findIndex((entry) => order(key, entry) < 0);
        if (start < 0) start = all.length;
      }
      if (options.emptyPages && flip++ % 3 === 0 && start < all.length) {
        // A page that ends before its first entry: no entries, but a key (one that sorts just
        // before that entry) to go on from.
        const next = all[start]!;
        return {
          entries: [],
          next: {
            id: options.oldestFirst
              ? `${next.id.slice(0, -1)}${String.fromCharCode(next.id.charCodeAt(next.id.length - 1) - 1)}~`
              : `${next.id}~`,
            at: next.at,
          },
        };
      }
      const entries = all.slice(start, start + limit);
      const last = entries.at(-1);
      return entries.length === limit && last ? { entries, next: { id: last.id, at: last.at } } : { entries };
    },
    keyOf: (entry) => ({ id: entry.id, at: entry.at }),
    orderOf: (entry) => entry.at,
  };
  return { reader, reads };
}

const start = (shards: number): ShardPosition[] => Array.from({ length: shards }, () => ({ kind: 'start' }));

/** Pages through everything, `limits` giving each page's size in turn; positions cross pages as JSON, as a cursor does. */
async function pageThrough(reader: ShardReader<Entry>, limits: number[]): Promise<Entry[][]> {
  const pages: Entry[][] = [];
  let positions = start(reader.shards);
  for (let page = 0; page < 10_000; page++) {
    const merge = new ShardMerge(reader, positions);
    pages.push(await merge.take(limits[page % limits.length]!));
    if (merge.done) return pages;
    positions = JSON.parse(JSON.stringify(merge.positions())) as ShardPosition[];
  }
  throw new Error('did not finish');
}

const entriesOf = (shards: Entry[][]) => shards.flat();
const ids = (entries: Entry[]) => entries.map((e) => e.id);

describe('ShardMerge', () => {
  it('merges the shards newest first', async () => {
    const { reader } = memoryShards([
      [
        { id: 'a', at: '3' },
        { id: 'b', at: '1' },
      ],
      [{ id: 'c', at: '2' }],
      [],
      [{ id: 'd', at: '4' }],
    ]);
    const merge = new ShardMerge(reader, start(4));
    expect(ids(await merge.take(10))).toEqual(['d', 'a', 'c', 'b']);
    expect(merge.done).toBe(true);
    expect(merge.positions()).toEqual(start(4).map(() => ({ kind: 'done' })));
  });

  it('ends a page anywhere and goes on from each shard’s own position', async () => {
    const { reader } = memoryShards([
      [
        { id: 'a', at: '5' },
        { id: 'b', at: '3' },
        { id: 'c', at: '1' },
      ],
      [
        { id: 'd', at: '4' },
        { id: 'e', at: '2' },
      ],
    ]);
    const first = new ShardMerge(reader, start(2));
    expect(ids(await first.take(2))).toEqual(['a', 'd']);
    expect(first.positions()).toEqual([
      { kind: 'after', key: { id: 'a', at: '5' } },
      { kind: 'after', key: { id: 'd', at: '4' } },
    ]);
    const second = new ShardMerge(reader, first.positions());
    expect(ids(await second.take(2))).toEqual(['b', 'e']);
    // Shard 1 is read to its end: its position says so, and no read of it is wasted next time.
    const third = new ShardMerge(reader, second.positions());
    expect(ids(await third.take(5))).toEqual(['c']);
    expect(third.done).toBe(true);
  });

  it('keeps the start position of a shard nothing was taken from', async () => {
    const { reader } = memoryShards([[{ id: 'a', at: '9' }], [{ id: 'b', at: '1' }]]);
    const merge = new ShardMerge(reader, start(2));
    await merge.take(1);
    expect(merge.positions()).toEqual([{ kind: 'done' }, { kind: 'start' }]);
  });

  it('reads no shard that a position says is done', async () => {
    const { reader, reads } = memoryShards([[{ id: 'a', at: '9' }], [{ id: 'b', at: '1' }]]);
    const merge = new ShardMerge(reader, [{ kind: 'done' }, { kind: 'start' }]);
    expect(ids(await merge.take(5))).toEqual(['b']);
    expect(reads.map((r) => r.shard)).toEqual([1]);
  });

  it('asks each shard for about its share of a page, and reads one shard for exactly the page', async () => {
    const many = (prefix: string) => Array.from({ length: 100 }, (_, i) => ({ id: `${prefix}${i}`, at: String(1000 + i) }));
    const four = memoryShards([many('a'), many('b'), many('c'), many('d')]);
    await new ShardMerge(four.reader, start(4)).take(100);
    expect(four.reads.slice(0, 4).map((r) => r.limit)).toEqual([39, 39, 39, 39]);
    const one = memoryShards([many('a')]);
    await new ShardMerge(one.reader, start(1)).take(100);
    expect(one.reads).toEqual([{ shard: 0, limit: 100 }]);
  });

  it('refuses positions for another number of shards', () => {
    const { reader } = memoryShards([[], []]);
    expect(() => new ShardMerge(reader, start(3))).toThrow(RangeError);
  });

  it('pages through any shards, with any page sizes and many equal times, each entry once and newest first', async () => {
    const entry = fc.record({ at: fc.integer({ min: 0, max: 5 }).map(String) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(entry, { maxLength: 30 }), { minLength: 1, maxLength: 7 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        async (raw, limits, emptyPages) => {
          const shards = raw.map((entries, s) => entries.map((e, i) => ({ id: `${s}-${String(i).padStart(2, '0')}`, at: e.at })));
          const { reader } = memoryShards(shards, { emptyPages });
          const pages = await pageThrough(reader, limits);
          const listed = pages.flat();
          expect(new Set(ids(listed)).size).toBe(listed.length);
          expect(ids(listed).sort()).toEqual(ids(entriesOf(shards)).sort());
          for (let i = 1; i < listed.length; i++) expect(listed[i]!.at <= listed[i - 1]!.at).toBe(true);
          // Every page but the last is full.
          for (const [i, page] of pages.slice(0, -1).entries()) expect(page).toHaveLength(limits[i % limits.length]!);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('ShardMerge oldest first', () => {
  it('merges the shards oldest first, the lower shard first among equal times', async () => {
    const { reader } = memoryShards(
      [
        [
          { id: 'a', at: '3' },
          { id: 'b', at: '1' },
        ],
        [{ id: 'c', at: '2' }],
        [{ id: 'd', at: '1' }],
      ],
      { oldestFirst: true },
    );
    const merge = new ShardMerge(reader, start(3));
    expect(ids(await merge.take(2))).toEqual(['b', 'd']);
    const next = new ShardMerge(reader, merge.positions());
    expect(ids(await next.take(5))).toEqual(['c', 'a']);
    expect(next.done).toBe(true);
  });

  it('pages through any shards, with any page sizes and many equal times, each entry once and oldest first', async () => {
    const entry = fc.record({ at: fc.integer({ min: 0, max: 5 }).map(String) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(entry, { maxLength: 30 }), { minLength: 1, maxLength: 17 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        async (raw, limits, emptyPages) => {
          const shards = raw.map((entries, s) => entries.map((e, i) => ({ id: `${s}-${String(i).padStart(2, '0')}`, at: e.at })));
          const listed = (await pageThrough(memoryShards(shards, { emptyPages, oldestFirst: true }).reader, limits)).flat();
          expect(ids(listed).sort()).toEqual(ids(entriesOf(shards)).sort());
          for (let i = 1; i < listed.length; i++) expect(listed[i]!.at >= listed[i - 1]!.at).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('memoryShards', () => {
  it('starts after a key that is not there, where it would sort', async () => {
    const { reader } = memoryShards([
      [
        { id: 'a', at: '3' },
        { id: 'c', at: '1' },
      ],
    ]);
    const key: StartKey = { id: 'b', at: '2' };
    expect(ids((await reader.read(0, key, 5)).entries)).toEqual(['c']);
  });
});
