import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Suppression, SuppressionReason } from '../../../lib/domain/suppression.ts';
import { supersedes } from '../../../lib/domain/suppression-precedence.ts';

const entry = (reason: SuppressionReason, createdAt = '2026-01-01T00:00:00.000Z'): Suppression => ({
  tenant: 't',
  email: 'a@example.com',
  reason,
  createdAt,
});

/** The entry that stands after the candidates arrive in this order. */
const settle = (candidates: Suppression[]) =>
  candidates.reduce<Suppression | undefined>((current, next) => (supersedes(next, current) ? next : current), undefined);

describe('supersedes', () => {
  it('adds an entry where there is none', () => {
    expect(supersedes(entry('hard_bounce'), undefined)).toBe(true);
  });

  it('lets a complaint replace a hard bounce, never the other way round', () => {
    expect(supersedes(entry('complaint'), entry('hard_bounce'))).toBe(true);
    expect(supersedes(entry('hard_bounce'), entry('complaint'))).toBe(false);
  });

  it('never replaces what a person decided', () => {
    for (const reason of ['hard_bounce', 'complaint'] as const) {
      expect(supersedes(entry(reason), entry('manual'))).toBe(false);
      expect(supersedes(entry(reason), entry('unsubscribe'))).toBe(false);
    }
  });

  it('keeps the earlier of two equal entries, and a duplicate changes nothing', () => {
    expect(supersedes(entry('hard_bounce', '2026-01-01T00:00:00.000Z'), entry('hard_bounce', '2026-01-02T00:00:00.000Z'))).toBe(true);
    expect(supersedes(entry('hard_bounce', '2026-01-02T00:00:00.000Z'), entry('hard_bounce', '2026-01-01T00:00:00.000Z'))).toBe(false);
    expect(supersedes(entry('complaint'), entry('complaint'))).toBe(false);
  });

  it('settles on the same entry whatever order automatic entries arrive in', () => {
    const automatic = fc
      .record({
        reason: fc.constantFrom<SuppressionReason>('hard_bounce', 'complaint'),
        day: fc.integer({ min: 1, max: 28 }),
      })
      .map(({ reason, day }) => entry(reason, `2026-01-${String(day).padStart(2, '0')}T00:00:00.000Z`));
    fc.assert(
      fc.property(
        fc
          .array(automatic, { minLength: 1, maxLength: 8 })
          .chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length }))),
        ([list, shuffled]) => {
          expect(settle(shuffled)).toEqual(settle(list));
        },
      ),
    );
  });
});
