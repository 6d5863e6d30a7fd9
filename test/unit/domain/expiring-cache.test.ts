/** ExpiringCache: per-entry expiry, one load per burst, oldest out first, invalidation, the expired value for fallbacks. */
import { describe, expect, it } from 'vitest';
import { ExpiringCache } from '../../../lib/domain/expiring-cache.ts';
import { clockAt } from '../../support/fakes/index.ts';

/** A loader that counts its calls and answers `value` kept for `keepMs`, once released when held. */
function loader(keepMs = 1000) {
  let release: () => void = () => {};
  const state = {
    calls: 0,
    value: 'v1',
    held: undefined as Promise<void> | undefined,
    hold() {
      state.held = new Promise<void>((resolve) => (release = resolve));
    },
    release: () => release(),
    load: async (expired: string | undefined) => {
      state.calls++;
      state.seen.push(expired);
      await state.held;
      return { value: state.value, keepMs };
    },
    seen: [] as (string | undefined)[],
  };
  return state;
}

describe('ExpiringCache', () => {
  it('keeps a value for the time its loader gave, then loads again and hands the loader the expired value', async () => {
    const clock = clockAt('2026-12-06T10:00:00Z');
    const cache = new ExpiringCache<string>({ clock });
    const source = loader(1000);
    expect(await cache.get('k', source.load)).toBe('v1');
    source.value = 'v2';
    clock.advance(999);
    expect(await cache.get('k', source.load)).toBe('v1');
    clock.advance(1);
    expect(await cache.get('k', source.load)).toBe('v2');
    expect(source.calls).toBe(2);
    expect(source.seen).toEqual([undefined, 'v1']);
  });

  it('loads once for a burst of callers of one key, and again after a failed load', async () => {
    const cache = new ExpiringCache<string>({ clock: clockAt(0) });
    const source = loader();
    source.hold();
    const burst = Array.from({ length: 5 }, () => cache.get('k', source.load));
    source.release();
    expect(await Promise.all(burst)).toEqual(['v1', 'v1', 'v1', 'v1', 'v1']);
    expect(source.calls).toBe(1);

    const failing = () => Promise.reject(new Error('table unavailable'));
    await expect(cache.get('other', failing)).rejects.toThrow('table unavailable');
    expect(await cache.get('other', source.load)).toBe('v1');
  });

  it('keeps nothing new for keepMs 0, but keeps the expired value for the next loader', async () => {
    const clock = clockAt(0);
    const cache = new ExpiringCache<string>({ clock });
    await cache.get('k', async () => ({ value: 'known', keepMs: 10 }));
    clock.advance(10);
    expect(await cache.get('k', async (expired) => ({ value: expired ?? 'none', keepMs: 0 }))).toBe('known');
    const seen: (string | undefined)[] = [];
    await cache.get('k', async (expired) => (seen.push(expired), { value: 'fresh', keepMs: 0 }));
    expect(seen).toEqual(['known']);
    let calls = 0;
    await cache.get('k', async () => (calls++, { value: 'fresh', keepMs: 0 }));
    await cache.get('k', async () => (calls++, { value: 'fresh', keepMs: 0 }));
    expect(calls).toBe(2);
  });

  it('drops the oldest entry past maxEntries', async () => {
    const cache = new ExpiringCache<string>({ clock: clockAt(0), maxEntries: 2 });
    const source = loader(60_000);
    for (const key of ['a', 'b', 'c']) await cache.get(key, source.load);
    expect(source.calls).toBe(3);
    await cache.get('b', source.load);
    await cache.get('c', source.load);
    expect(source.calls).toBe(3);
    await cache.get('a', source.load);
    expect(source.calls).toBe(4);
  });

  it('forgets an invalidated key, and keeps nothing from a load that was under way when it was invalidated', async () => {
    const cache = new ExpiringCache<string>({ clock: clockAt(0) });
    const source = loader(60_000);
    await cache.get('k', source.load);
    cache.invalidate('k');
    source.value = 'v2';
    source.hold();
    const during = cache.get('k', source.load);
    cache.invalidate('k');
    source.release();
    expect(await during).toBe('v2');
    source.held = undefined;
    source.value = 'v3';
    expect(await cache.get('k', source.load)).toBe('v3');
    expect(source.calls).toBe(3);
  });
});
