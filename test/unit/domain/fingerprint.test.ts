import fc from 'fast-check';
import { decodeTime, isValid, ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { fingerprint, idempotentId, isIdempotencyKey } from '../../../lib/domain/fingerprint.ts';

/** The same value with the keys of every object in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversed(v)]),
    );
  return value;
}

/** The same value with the keys of every object shuffled by `seed`. */
function shuffled(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffled(v, seed));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v], i) => [k, shuffled(v, seed), (i * 7919 + seed) % 101] as const);
    return Object.fromEntries([...entries].sort((a, b) => a[2] - b[2]).map(([k, v]) => [k, v]));
  }
  return value;
}

describe('fingerprint', () => {
  it('is a hex SHA-256', () => {
    expect(fingerprint({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order of object keys, at any depth', () => {
    expect(fingerprint({ a: 1, b: { c: 2, d: [1, { e: 3, f: 4 }] } })).toBe(fingerprint({ b: { d: [1, { f: 4, e: 3 }], c: 2 }, a: 1 }));
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, seed) => {
        expect(fingerprint(reversed(value))).toBe(fingerprint(value));
        expect(fingerprint(shuffled(value, seed))).toBe(fingerprint(value));
        expect(fingerprint(JSON.parse(JSON.stringify(value)))).toBe(fingerprint(value));
      }),
      { numRuns: 300 },
    );
  });

  it('tells different values apart', () => {
    expect(fingerprint([1, 2])).not.toBe(fingerprint([2, 1]));
    expect(fingerprint({ a: '1' })).not.toBe(fingerprint({ a: 1 }));
    expect(fingerprint({ a: null })).not.toBe(fingerprint({}));
    expect(fingerprint({ 'a":1,"b': 2 })).not.toBe(fingerprint({ a: 1, b: 2 }));
    expect(fingerprint('')).not.toBe(fingerprint(null));
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const same = JSON.stringify(reversed(shuffled(a, 1))) === JSON.stringify(reversed(shuffled(b, 1)));
        if (!same) expect(fingerprint(a)).not.toBe(fingerprint(b));
      }),
      { numRuns: 300 },
    );
  });

  it('treats a missing key and an undefined one alike (JSON has no undefined)', () => {
    expect(fingerprint({ a: 1, b: undefined })).toBe(fingerprint({ a: 1 }));
  });
});

describe('isIdempotencyKey', () => {
  it('takes 1 to 255 visible ASCII characters', () => {
    expect(isIdempotencyKey('order-42')).toBe(true);
    expect(isIdempotencyKey('x'.repeat(255))).toBe(true);
    expect(isIdempotencyKey('"quoted!"~')).toBe(true);
  });

  it.each(['', 'x'.repeat(256), 'has space', 'tab\t', 'line\nbreak', 'ünï'])('refuses %j', (key) => {
    expect(isIdempotencyKey(key)).toBe(false);
  });
});

describe('idempotentId', () => {
  it('is the same for every try of a request, and differs by tenant, key, first use and position', () => {
    const id = idempotentId('acme', 'order-42', 1_800_000_000_000, 0);
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(idempotentId('acme', 'order-42', 1_800_000_000_000, 0)).toBe(id);
    const others = [
      idempotentId('acme2', 'order-42', 1_800_000_000_000, 0),
      idempotentId('acme', 'order-43', 1_800_000_000_000, 0),
      idempotentId('acme', 'order-42', 1_800_000_000_001, 0),
      idempotentId('acme', 'order-42', 1_800_000_000_000, 1),
      // Fields are kept apart: no two splits of the same characters meet.
      idempotentId('acme#order', '42', 1_800_000_000_000, 0),
    ];
    expect(new Set([id, ...others]).size).toBe(others.length + 1);
  });

  it('is a ULID of the key’s first use, so that it sorts by creation among new ids', () => {
    const id = idempotentId('acme', 'order-42', 1_800_000_000_000, 3);
    expect(isValid(id)).toBe(true);
    expect(decodeTime(id)).toBe(1_800_000_000_000);
    // Later first use, later id, whatever the key; between the new ids made just before and after.
    expect(idempotentId('acme', 'z', 1_800_000_000_000, 0) < idempotentId('acme', 'a', 1_800_000_000_001, 0)).toBe(true);
    const [before, after] = [ulid(1_799_999_999_999), ulid(1_800_000_000_001)];
    expect([after, id, before].sort()).toEqual([before, id, after]);
  });
});
