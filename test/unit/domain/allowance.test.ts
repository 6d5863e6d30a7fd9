import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admits, ceilingFor, partOf, roomIn, shardCount } from '../../../lib/domain/allowance.ts';

describe('partOf', () => {
  it('splits a total into whole parts that add up to it, none more than one apart', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 64 }), (total, parts) => {
        const all = Array.from({ length: parts }, (_, i) => partOf(total, parts, i));
        expect(all.reduce((a, b) => a + b, 0)).toBe(total);
        expect(Math.max(...all) - Math.min(...all)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('shardCount', () => {
  it('is one shard per share of the total, at least one, at most the maximum', () => {
    expect(shardCount(14, 1250, 16)).toBe(1);
    expect(shardCount(1251, 1250, 16)).toBe(2);
    expect(shardCount(20_000, 1250, 16)).toBe(16);
    expect(shardCount(100_000, 1250, 16)).toBe(16);
    expect(shardCount(0, 250, 8)).toBe(1);
  });
});

describe('the conditional add', () => {
  it('admits a take while the count stays within the cap, and a take dearer than the cap into an empty share only', () => {
    expect(admits(7, 3, 10)).toBe(true);
    expect(admits(8, 3, 10)).toBe(false);
    expect(admits(0, 50, 10)).toBe(true);
    expect(admits(1, 50, 10)).toBe(false);
    expect(ceilingFor(10, 50)).toBe(0);
    expect(roomIn(12, 10)).toBe(0);
  });

  it('never lets a share pass its cap, whatever the takes and their order, but for one dear take alone', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 60 }), (cap, takes) => {
        let count = 0;
        let admitted = 0;
        for (const take of takes)
          if (admits(count, take, cap)) {
            count += take;
            admitted++;
          }
        if (count > cap) {
          // Only a take dearer than the cap, alone in the share.
          expect(admitted).toBe(1);
          expect(takes).toContain(count);
        }
      }),
    );
  });
});

describe("a tenant's second reserved in blocks", () => {
  it('never lets more than the limit through, whatever blocks the instances reserve and in what order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.record({ shard: fc.nat(), block: fc.integer({ min: 1, max: 400 }) }), { maxLength: 100 }),
        (limit, shards, reservations) => {
          const counts = new Array<number>(shards).fill(0);
          let reserved = 0;
          for (const { shard, block } of reservations) {
            const s = shard % shards;
            const cap = partOf(limit, shards, s);
            // A block no larger than the part: the limiter cuts its blocks to the room it saw.
            if (block <= cap && admits(counts[s]!, block, cap)) {
              counts[s]! += block;
              reserved += block;
            }
          }
          expect(reserved).toBeLessThanOrEqual(limit);
          counts.forEach((count, s) => expect(count).toBeLessThanOrEqual(partOf(limit, shards, s)));
        },
      ),
    );
  });
});
