import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyAnswer, enhancedStatus } from '../../../lib/domain/smtp-reply.ts';

describe('enhancedStatus', () => {
  it('finds an RFC 3463 code in a response line', () => {
    expect(enhancedStatus('550 5.1.1 <bob@example.com>: Recipient address rejected')).toBe('5.1.1');
    expect(enhancedStatus('250 2.0.0 Ok: queued as 12345')).toBe('2.0.0');
    expect(enhancedStatus('451 4.7.1 Try again later')).toBe('4.7.1');
    expect(enhancedStatus('550-5.7.26 Unauthenticated email')).toBe('5.7.26');
  });

  it('finds nothing where there is none', () => {
    expect(enhancedStatus('550 Mailbox unavailable')).toBeUndefined();
    expect(enhancedStatus('550 15.1.1 not a code')).toBeUndefined();
    expect(enhancedStatus('550 3.1.1 wrong class')).toBeUndefined();
    expect(enhancedStatus('')).toBeUndefined();
  });
});

describe('classifyAnswer', () => {
  it.each([
    [{ code: 250, response: '250 2.0.0 Ok' }, { kind: 'sent' }],
    [{ code: 251, response: '251 User not local; will forward' }, { kind: 'sent' }],
    [{ code: 421, response: '421 4.3.2 Service shutting down' }, { kind: 'deferred' }],
    [{ code: 451, response: '451 4.7.1 Greylisted' }, { kind: 'deferred' }],
    [{ code: 452, response: '452 4.2.2 Mailbox full' }, { kind: 'deferred' }],
    [{ response: 'ECONNREFUSED 127.0.0.1:25' }, { kind: 'deferred' }],
    [{ code: 199, response: 'odd' }, { kind: 'deferred' }],
    [{ code: 600, response: 'odd' }, { kind: 'deferred' }],
    [
      { code: 550, response: '550 5.1.1 No such user' },
      { kind: 'bounced', suppress: true },
    ],
    [
      { code: 550, response: '550 5.2.1 Mailbox disabled' },
      { kind: 'bounced', suppress: true },
    ],
    // A full mailbox clears by itself, and 5.1.7/5.1.8 blame the sender's address: no suppression.
    [
      { code: 552, response: '552 5.2.2 Mailbox full' },
      { kind: 'bounced', suppress: false },
    ],
    [
      { code: 553, response: '553 5.1.7 Bad sender address' },
      { kind: 'bounced', suppress: false },
    ],
    [
      { code: 550, response: '550 5.1.8 Bad sender domain' },
      { kind: 'bounced', suppress: false },
    ],
    [
      { code: 550, response: '550 Mailbox unavailable' },
      { kind: 'bounced', suppress: true },
    ],
    [
      { code: 550, response: '550 Unrouteable address' },
      { kind: 'bounced', suppress: true },
    ],
    // A 5xx that names no reason, or blames spam or the receiving rate, leaves the address mailable.
    [
      { code: 550, response: '550 Requested action not taken' },
      { kind: 'bounced', suppress: false },
    ],
    [
      { code: 550, response: '550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using Spamhaus' },
      { kind: 'bounced', suppress: false },
    ],
    [
      {
        code: 550,
        response:
          '550 5.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.',
      },
      { kind: 'bounced', suppress: false },
    ],
    [
      { code: 554, response: '554 5.7.1 Message rejected as spam' },
      { kind: 'bounced', suppress: false },
    ],
    [
      { code: 552, response: '552 5.3.4 Message too big' },
      { kind: 'bounced', suppress: false },
    ],
    [
      { code: 554, response: '554 5.6.0 Bad content' },
      { kind: 'bounced', suppress: false },
    ],
    [
      { code: 500, response: '500 5.5.2 Syntax error' },
      { kind: 'bounced', suppress: false },
    ],
    // An explicit enhanced code wins over the text.
    [
      { code: 550, enhanced: '5.7.1', response: '550 5.1.1 whatever' },
      { kind: 'bounced', suppress: false },
    ],
  ])('%j → %j', (answer, outcome) => {
    // Hard or soft is bounce-classification's business (tested with it); kind and suppression are the contract here.
    expect(classifyAnswer(answer)).toMatchObject(outcome);
  });

  it('calls a bounce that suppresses the address a hard one', () => {
    expect(classifyAnswer({ code: 550, response: '550 5.1.1 No such user' })).toEqual({
      kind: 'bounced',
      bounceType: 'hard',
      suppress: true,
    });
  });

  it('calls a 5xx full mailbox a soft bounce: it clears by itself', () => {
    expect(classifyAnswer({ code: 552, response: '552 5.2.2 Mailbox full' })).toEqual({
      kind: 'bounced',
      bounceType: 'soft',
      suppress: false,
    });
  });

  it('sends on 2xx and 3xx, defers on 4xx and unknown codes, bounces on 5xx', () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: undefined }), fc.string({ maxLength: 40 }), (code, response) => {
        const { kind } = classifyAnswer(code === undefined ? { response } : { code, response });
        if (code !== undefined && code >= 200 && code < 400) expect(kind).toBe('sent');
        else if (code !== undefined && code >= 500 && code < 600) expect(kind).toBe('bounced');
        else expect(kind).toBe('deferred');
      }),
      { numRuns: 300 },
    );
  });
});
