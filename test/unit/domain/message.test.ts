import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPending, MESSAGE_STATUSES, overallStatus, type MessageStatus } from '../../../lib/domain/message.ts';

describe('overallStatus', () => {
  it.each<[MessageStatus[], MessageStatus]>([
    [[], 'queued'],
    [['queued'], 'queued'],
    [['queued', 'bounced'], 'queued'],
    [['deferred', 'sent'], 'deferred'],
    [['queued', 'deferred'], 'queued'],
    [['sent', 'delivered'], 'delivered'],
    [['delivered', 'bounced'], 'delivered'],
    [['sent', 'bounced', 'rejected'], 'sent'],
    [['complained', 'bounced'], 'complained'],
    [['bounced', 'rejected'], 'bounced'],
    [['failed', 'rejected'], 'failed'],
    [['rejected', 'rejected'], 'rejected'],
    [['canceled', 'rejected'], 'canceled'],
  ])('%j → %s', (statuses, expected) => {
    expect(overallStatus(statuses)).toBe(expected);
  });

  it('is one of the statuses given, pending whenever any recipient is pending, and independent of order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...MESSAGE_STATUSES), { minLength: 1, maxLength: 8 }), (statuses) => {
        const overall = overallStatus(statuses);
        expect(statuses).toContain(overall);
        expect(isPending(overall)).toBe(statuses.some(isPending));
        expect(overallStatus([...statuses].reverse())).toBe(overall);
      }),
      { numRuns: 300 },
    );
  });
});

describe('isPending', () => {
  it('is true for queued and deferred only', () => {
    expect(MESSAGE_STATUSES.filter(isPending)).toEqual(['queued', 'deferred']);
  });
});
