import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admits } from '../../../lib/domain/allowance.ts';
import {
  fitLease,
  keptForTransactional,
  leaseCeilings,
  pacerLayout,
  slotAt,
  slotCap,
  wanted,
  PACER_MAX_SHARDS,
  PACER_WINDOW_MS,
  type Lane,
  type PacerLayout,
} from '../../../lib/domain/pacing.ts';

const caps = (layout: PacerLayout, lane: Lane, window: number, shard: number) =>
  Array.from({ length: layout.slots }, (_, slot) => slotCap(layout, lane, window, slot, shard));

const rates = fc.integer({ min: 1, max: 100_000 });

describe('pacerLayout', () => {
  it('cuts a second into slots of at least 50 ms and a rate into shards of at least 625 a second', () => {
    expect(pacerLayout(10)).toEqual({ rate: 10, slots: 10, shards: 1 });
    expect(pacerLayout(14)).toEqual({ rate: 14, slots: 14, shards: 1 });
    expect(pacerLayout(20_000)).toEqual({ rate: 20_000, slots: 20, shards: 16 });
    expect(pacerLayout(2_000).shards).toBe(2);
  });

  it('gives transactional mail the whole rate in every window, exactly, over its slots and shards', () => {
    fc.assert(
      fc.property(rates, fc.integer({ min: 0, max: 1e9 }), (rate, window) => {
        const layout = pacerLayout(rate);
        let total = 0;
        for (let shard = 0; shard < layout.shards; shard++)
          total += caps(layout, 'transactional', window, shard).reduce((a, b) => a + b, 0);
        expect(total).toBe(rate);
        expect(layout.shards).toBeLessThanOrEqual(PACER_MAX_SHARDS);
      }),
    );
  });

  it('gives campaign mail nothing in the slots kept for transactional mail, one in five', () => {
    fc.assert(
      fc.property(rates, fc.integer({ min: 0, max: 1e9 }), (rate, window) => {
        const layout = pacerLayout(rate);
        for (let slot = 0; slot < layout.slots; slot++) {
          const kept = keptForTransactional(layout, window, slot);
          for (let shard = 0; shard < layout.shards; shard++)
            expect(slotCap(layout, 'bulk', window, slot, shard)).toBe(kept ? 0 : slotCap(layout, 'transactional', window, slot, shard));
        }
        let kept = 0;
        for (let w = window; w < window + 5; w++)
          for (let slot = 0; slot < layout.slots; slot++) kept += keptForTransactional(layout, w, slot) ? 1 : 0;
        expect(kept).toBe(layout.slots);
      }),
    );
  });
});

describe('slotAt', () => {
  it('places an instant in its window and slot, and ends the slot after the instant', () => {
    fc.assert(
      fc.property(rates, fc.integer({ min: 0, max: 4e12 }), (rate, ms) => {
        const layout = pacerLayout(rate);
        const at = slotAt(layout, ms);
        expect(at.window).toBe(Math.floor(ms / PACER_WINDOW_MS));
        expect(at.slot).toBeGreaterThanOrEqual(0);
        expect(at.slot).toBeLessThan(layout.slots);
        expect(at.endMs).toBeGreaterThan(ms);
        expect(slotAt(layout, at.endMs).index).toBe(at.index + 1);
      }),
    );
  });
});

describe('wanted', () => {
  it('asks for the need now, and for the recent rate and the queue spread over the slots left', () => {
    const layout = pacerLayout(20_000);
    expect(wanted(layout, 5, 1, 0, 0)).toEqual([0, 0, 0, 0, 0, 1, ...new Array(14).fill(0)]);
    const busy = wanted(layout, 0, 100, 2000, 0);
    expect(busy.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(busy.every((w) => w === 100)).toBe(true);
    // What is queued is wanted now; the rate later, in whole requests of the usual size.
    expect(wanted(layout, 10, 1, 0, 100)).toEqual([...new Array(10).fill(0), 101, ...new Array(9).fill(0)]);
    const steady = wanted(layout, 0, 10, 100, 0, 10);
    expect(steady.reduce((a, b) => a + b, 0)).toBe(100);
    expect(steady.every((w) => w % 10 === 0)).toBe(true);
  });
});

describe('fitLease', () => {
  const layout = pacerLayout(200);
  const transactional = caps(layout, 'transactional', 0, 0);

  it('cuts what is wanted to the room seen, and refuses when the first slot has no room for the need', () => {
    const want = wanted(layout, 0, 20, 400, 0);
    const seen = new Array(layout.slots).fill(0);
    seen[1] = 8;
    seen[0] = 3;
    const take = fitLease(want, transactional, 0, 4, seen)!;
    expect(take[0]).toBe(7);
    expect(take[1]).toBe(2);
    seen[0] = 7;
    expect(fitLease(want, transactional, 0, 4, seen)).toBeUndefined();
  });

  it('lets a need dearer than the slot into an empty slot only, and never takes campaign mail into a kept slot', () => {
    expect(fitLease(wanted(layout, 3, 50, 0, 0), transactional, 3, 50)?.[3]).toBe(50);
    const seen = new Array(layout.slots).fill(0);
    seen[3] = 1;
    expect(fitLease(wanted(layout, 3, 50, 0, 0), transactional, 3, 50, seen)).toBeUndefined();
    const kept = [0, 1, 2, 3, 4].find((slot) => keptForTransactional(layout, 0, slot))!;
    expect(fitLease(wanted(layout, kept, 1, 0, 0), caps(layout, 'bulk', 0, 0), kept, 1)).toBeUndefined();
    expect(fitLease(wanted(layout, kept, 1, 0, 0), transactional, kept, 1)?.[kept]).toBe(1);
  });
});

/**
 * Instances leasing in any order, each with views of the counts that may be out of date: the
 * conditional write (every slot taken at or under its ceiling) is the only thing that decides.
 */
describe('leases from many instances', () => {
  const lease = fc.record({
    instance: fc.integer({ min: 0, max: 7 }),
    lane: fc.constantFrom<Lane>('transactional', 'bulk'),
    shard: fc.nat(),
    from: fc.nat(),
    need: fc.integer({ min: 1, max: 40 }),
    perSecond: fc.integer({ min: 0, max: 5000 }),
    queued: fc.integer({ min: 0, max: 200 }),
    unit: fc.integer({ min: 1, max: 50 }),
    fresh: fc.boolean(),
  });

  it('never pass the rate in a window, nor a slot its part, whatever the interleaving', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.array(lease, { maxLength: 80 }),
        (rate, window, leases) => {
          const layout = pacerLayout(rate);
          const items = Array.from({ length: layout.shards }, () => new Array<number>(layout.slots).fill(0));
          const views = new Map<string, number[]>();
          const dear = new Set<string>();
          for (const l of leases) {
            const shard = l.shard % layout.shards;
            const from = l.from % layout.slots;
            if (l.lane === 'bulk' && keptForTransactional(layout, window, from)) continue;
            const laneCaps = caps(layout, l.lane, window, shard);
            const view = l.fresh ? [...items[shard]!] : views.get(`${l.instance} ${shard}`);
            const take = fitLease(wanted(layout, from, l.need, l.perSecond, l.queued, l.unit), laneCaps, from, l.need, view);
            if (!take) continue;
            const ceilings = leaseCeilings(take, laneCaps);
            const item = items[shard]!;
            const ok = take.every((t, slot) => t === 0 || item[slot]! <= ceilings[slot]!);
            expect(ok).toBe(take.every((t, slot) => t === 0 || admits(item[slot]!, t, laneCaps[slot]!)));
            if (ok) {
              take.forEach((t, slot) => (item[slot]! += t));
              if (take[from]! > laneCaps[from]!) dear.add(`${shard} ${from}`);
            }
            views.set(`${l.instance} ${shard}`, [...item]);
          }
          let total = 0;
          items.forEach((item, shard) =>
            item.forEach((count, slot) => {
              total += count;
              // A slot's part, but for one request dearer than it alone in an empty slot.
              if (!dear.has(`${shard} ${slot}`)) expect(count).toBeLessThanOrEqual(slotCap(layout, 'transactional', window, slot, shard));
            }),
          );
          if (dear.size === 0) expect(total).toBeLessThanOrEqual(rate);
        },
      ),
    );
  });
});
