import { describe, expect, it } from 'vitest';
import { CachedApiKeyStore } from '../../../lib/adapters/cached-api-key-store.ts';
import type { ApiKeyRecord } from '../../../lib/domain/api-key.ts';
import type { ApiKeyStore } from '../../../lib/ports/api-key-store.ts';
import { clockAt } from '../../support/fakes/index.ts';

/** A store that counts its lookups, and can hold one back until released. */
class CountingStore implements ApiKeyStore {
  readonly records = new Map<string, ApiKeyRecord>();
  lookups = 0;
  hold: Promise<void> | undefined;

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    this.lookups++;
    const record = this.records.get(hash);
    await this.hold;
    return record && { ...record };
  }
  async put(record: ApiKeyRecord): Promise<void> {
    this.records.set(record.hash, { ...record });
  }
  async listByTenant() {
    return { items: [...this.records.values()] };
  }
  async findById(): Promise<ApiKeyRecord | undefined> {
    return undefined;
  }
  async revoke(hash: string, at: string): Promise<ApiKeyRecord | undefined> {
    const record = this.records.get(hash);
    if (record) record.revokedAt ??= at;
    return record && { ...record };
  }
}

const key = (hash: string): ApiKeyRecord =>
  ({ hash, tenant: 'acme', scopes: ['send'], createdAt: '2026-12-06T00:00:00.000Z' }) as ApiKeyRecord;

function setup(cacheMs = 10_000) {
  const store = new CountingStore();
  const clock = clockAt('2026-12-06T10:00:00.000Z');
  return { store, clock, cached: new CachedApiKeyStore(store, { cacheMs, clock }) };
}

describe('CachedApiKeyStore', () => {
  it('reads a live key once while it is fresh, and again once it is not', async () => {
    const { store, clock, cached } = setup();
    await store.put(key('h1'));
    expect(await cached.findByHash('h1')).toMatchObject({ tenant: 'acme' });
    clock.advance(9_999);
    expect(await cached.findByHash('h1')).toMatchObject({ tenant: 'acme' });
    expect(store.lookups).toBe(1);
    clock.advance(1);
    await cached.findByHash('h1');
    expect(store.lookups).toBe(2);
  });

  it('reads a burst of lookups of one key once', async () => {
    const { store, cached } = setup();
    await store.put(key('h1'));
    let release!: () => void;
    store.hold = new Promise((resolve) => (release = resolve));
    const answers = Promise.all(Array.from({ length: 20 }, () => cached.findByHash('h1')));
    release();
    expect((await answers).every((r) => r?.tenant === 'acme')).toBe(true);
    expect(store.lookups).toBe(1);
  });

  it('keeps no unknown key, so a key made a moment later works at once', async () => {
    const { store, cached } = setup();
    expect(await cached.findByHash('h2')).toBeUndefined();
    await store.put(key('h2'));
    expect(await cached.findByHash('h2')).toMatchObject({ hash: 'h2' });
  });

  it('forgets a key revoked through it at once, even one being read while it was revoked', async () => {
    const { store, cached } = setup();
    await store.put(key('h1'));
    await cached.findByHash('h1');
    expect(await cached.revoke('h1', '2026-12-06T10:00:01.000Z')).toMatchObject({ revokedAt: '2026-12-06T10:00:01.000Z' });
    expect(await cached.findByHash('h1')).toMatchObject({ revokedAt: '2026-12-06T10:00:01.000Z' });

    // A lookup that began before a change keeps nothing it read.
    await store.put(key('h3'));
    let release!: () => void;
    store.hold = new Promise((resolve) => (release = resolve));
    const before = cached.findByHash('h3');
    const revoked = cached.revoke('h3', '2026-12-06T10:00:02.000Z');
    release();
    await Promise.all([before, revoked]);
    store.hold = undefined;
    expect(await cached.findByHash('h3')).toMatchObject({ revokedAt: '2026-12-06T10:00:02.000Z' });
  });

  it('still sees a key revoked elsewhere within its time, and reads every time when the time is 0', async () => {
    const { store, clock, cached } = setup();
    await store.put(key('h1'));
    await cached.findByHash('h1');
    await store.revoke('h1', '2026-12-06T10:00:00.000Z');
    expect((await cached.findByHash('h1'))?.revokedAt).toBeUndefined();
    clock.advance(10_000);
    expect((await cached.findByHash('h1'))?.revokedAt).toBe('2026-12-06T10:00:00.000Z');

    const uncached = setup(0);
    await uncached.store.put(key('h1'));
    await uncached.cached.findByHash('h1');
    await uncached.cached.findByHash('h1');
    expect(uncached.store.lookups).toBe(2);
  });
});
