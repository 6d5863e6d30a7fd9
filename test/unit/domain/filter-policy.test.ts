import { describe, expect, it } from 'vitest';
import { FILTER_POLICY, matchesFilterPolicy } from '../../../lib/domain/filter-policy.ts';

const event = { tenant: 'acme', type: 'bounced', tags: ['kind=receipt', 'shop=eu'] };

describe('SNS filter policies', () => {
  it('ANDs keys and ORs values', () => {
    expect(matchesFilterPolicy({ tenant: ['acme'], type: ['bounced', 'complained'] }, event)).toBe(true);
    expect(matchesFilterPolicy({ tenant: ['acme'], type: ['delivered'] }, event)).toBe(false);
    expect(matchesFilterPolicy({ tenant: ['other'], type: ['bounced'] }, event)).toBe(false);
  });

  it('matches any element of an array attribute', () => {
    expect(matchesFilterPolicy({ tags: ['shop=eu'] }, event)).toBe(true);
    expect(matchesFilterPolicy({ tags: [{ prefix: 'kind=' }] }, event)).toBe(true);
    expect(matchesFilterPolicy({ tags: ['shop=us'] }, event)).toBe(false);
  });

  it('supports prefix, suffix, equals-ignore-case, anything-but and exists', () => {
    expect(matchesFilterPolicy({ type: [{ prefix: 'bou' }] }, event)).toBe(true);
    expect(matchesFilterPolicy({ tenant: [{ suffix: 'me' }] }, event)).toBe(true);
    expect(matchesFilterPolicy({ tenant: [{ 'equals-ignore-case': 'ACME' }] }, event)).toBe(true);
    expect(matchesFilterPolicy({ type: [{ 'anything-but': ['queued', 'sent'] }] }, event)).toBe(true);
    expect(matchesFilterPolicy({ type: [{ 'anything-but': 'bounced' }] }, event)).toBe(false);
    expect(matchesFilterPolicy({ type: [{ 'anything-but': { prefix: 'b' } }] }, event)).toBe(false);
    expect(matchesFilterPolicy({ campaign: [{ exists: false }] }, event)).toBe(true);
    expect(matchesFilterPolicy({ campaign: [{ exists: true }] }, event)).toBe(false);
    expect(matchesFilterPolicy({ tenant: [{ exists: true }] }, event)).toBe(true);
  });

  it('refuses malformed policies', () => {
    expect(FILTER_POLICY.safeParse({ type: 'bounced' }).success).toBe(false);
    expect(FILTER_POLICY.safeParse({ type: [] }).success).toBe(false);
    expect(FILTER_POLICY.safeParse({ type: [{ numeric: ['>', 1] }] }).success).toBe(false);
    expect(FILTER_POLICY.safeParse({ type: ['bounced', { prefix: 'comp' }] }).success).toBe(true);
  });
});
