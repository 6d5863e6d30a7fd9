import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint, isIdempotencyKey } from '../../../lib/domain/fingerprint.ts';

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
