import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, keyPrefix, looksLikeApiKey } from '../../../lib/domain/api-key.ts';

describe('API keys', () => {
  it('generates distinct keys of the documented shape', () => {
    const keys = new Set(Array.from({ length: 50 }, generateApiKey));
    expect(keys.size).toBe(50);
    for (const key of keys) {
      expect(key).toMatch(/^mr_[A-Za-z0-9_-]{43}$/);
      expect(looksLikeApiKey(key)).toBe(true);
    }
  });

  it('refuses strings that are not keys', () => {
    const key = generateApiKey();
    for (const value of [
      '',
      'mr_',
      key.slice(0, -1),
      `${key}x`,
      key.replace('mr_', 'mk_'),
      `${key.slice(0, -1)}=`,
      ` ${key}`,
      `${key.slice(0, -1)}\n`,
    ]) {
      expect(looksLikeApiKey(value), JSON.stringify(value)).toBe(false);
    }
  });

  it('hashes to a stable hex SHA-256 that is not the key', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    expect(hashApiKey(key)).not.toContain(key.slice(3));
    expect(hashApiKey(generateApiKey())).not.toBe(hashApiKey(key));
    // The SHA-256 of "mr_test" — a fixed point keeps stored hashes valid across releases.
    expect(hashApiKey('mr_test')).toBe('ce9b90778b5a4aceff10efb1faf0b7c3fadd6a59efcd6fc63f3b3dfc1d7ca157');
  });

  it('shows a prefix of mr_ and six characters, which is not enough to use the key', () => {
    const key = generateApiKey();
    expect(keyPrefix(key)).toBe(key.slice(0, 9));
    expect(keyPrefix(key)).toMatch(/^mr_.{6}$/);
    expect(looksLikeApiKey(keyPrefix(key))).toBe(false);
  });
});
