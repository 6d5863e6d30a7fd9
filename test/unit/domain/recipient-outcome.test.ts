import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGE_STATUSES, type MessageStatus } from '../../../lib/domain/message.ts';
import { outcomeStatus, outcomeTransition } from '../../../lib/domain/recipient-outcome.ts';

const OUTCOMES: MessageStatus[] = ['failed', 'delivered', 'bounced', 'complained'];
/** A list of outcomes and the same outcomes in another order. */
const orderings = fc
  .array(fc.constantFrom(...OUTCOMES), { maxLength: 12 })
  .chain((outcomes) => fc.tuple(fc.constant(outcomes), fc.shuffledSubarray(outcomes, { minLength: outcomes.length })));

/** Applies outcomes one after another the way the message store does. */
function apply(start: MessageStatus, outcomes: MessageStatus[]): MessageStatus {
  return outcomes.reduce((status, next) => (outcomeTransition(status, next) === 'advance' ? next : status), start);
}

describe('outcomeTransition', () => {
  it.each([
    ['sent', 'delivered', 'advance'],
    ['sent', 'bounced', 'advance'],
    ['sent', 'failed', 'advance'],
    ['delivered', 'complained', 'advance'],
    ['delivered', 'bounced', 'advance'],
    ['failed', 'delivered', 'advance'],
    ['bounced', 'complained', 'advance'],
    ['bounced', 'delivered', 'keep'],
    ['complained', 'delivered', 'keep'],
    ['complained', 'bounced', 'keep'],
    ['delivered', 'delivered', 'keep'],
    ['delivered', 'failed', 'keep'],
    ['rejected', 'delivered', 'keep'],
    ['queued', 'delivered', 'pending'],
    ['deferred', 'bounced', 'pending'],
  ] as [MessageStatus, MessageStatus, string][])('%s, then %s: %s', (current, next, expected) => {
    expect(outcomeTransition(current, next)).toBe(expected);
  });

  it('ends at the same status whatever the order and however often each outcome comes', () => {
    fc.assert(
      fc.property(orderings, ([outcomes, shuffled]) => {
        const twice = [...outcomes, ...shuffled];
        expect(apply('sent', shuffled)).toBe(apply('sent', outcomes));
        expect(apply('sent', twice)).toBe(apply('sent', outcomes));
      }),
    );
  });

  it('never moves a status down, nor leaves a final one', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MESSAGE_STATUSES), fc.constantFrom(...MESSAGE_STATUSES), (current, next) => {
        const result = outcomeTransition(current, next);
        if (current === 'rejected') expect(result).toBe('keep');
        if (result === 'advance') expect(outcomeTransition(next, current)).toBe('keep');
      }),
    );
  });
});

describe('outcomeStatus', () => {
  it('moves the status for delivered, bounced, complained and failed only', () => {
    expect(outcomeStatus('delivered')).toBe('delivered');
    expect(outcomeStatus('bounced')).toBe('bounced');
    expect(outcomeStatus('complained')).toBe('complained');
    expect(outcomeStatus('failed')).toBe('failed');
    for (const type of ['deferred', 'opened', 'clicked', 'unsubscribed', 'sent', 'queued'] as const)
      expect(outcomeStatus(type)).toBeUndefined();
  });
});
