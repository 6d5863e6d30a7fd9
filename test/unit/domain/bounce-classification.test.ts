import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BOUNCE_CATEGORIES,
  answerFromDiagnostic,
  classifySesBounce,
  classifySmtpFailure,
  enhancedStatus,
  suppressesAddress,
} from '../../../lib/domain/bounce-classification.ts';
import { BOUNCE_RULES, EXPLANATIONS } from '../../../lib/domain/bounce-patterns.ts';
import { SES_SUBTYPES, SES_WITH_DIAGNOSTICS } from '../../fixtures/bounces/ses-bounces.ts';
import { SMTP_REPLIES } from '../../fixtures/bounces/smtp-replies.ts';

describe('classifySmtpFailure on real-world replies', () => {
  it('has at least 30 distinct texts, each with its source', () => {
    expect(new Set(SMTP_REPLIES.map((f) => f.text)).size).toBe(SMTP_REPLIES.length);
    expect(SMTP_REPLIES.length).toBeGreaterThanOrEqual(30);
    for (const fixture of SMTP_REPLIES) expect(fixture.source).toMatch(/^https:\/\//);
  });

  it('covers every category', () => {
    expect(new Set(SMTP_REPLIES.map((f) => f.category))).toEqual(new Set(BOUNCE_CATEGORIES.filter((c) => c !== 'other')));
  });

  it.each(SMTP_REPLIES.map((f) => [f.from, f.text, f] as const))('%s: %j', (_from, text, fixture) => {
    const classification = classifySmtpFailure(answerFromDiagnostic(text));
    expect({ type: classification.type, category: classification.category }).toEqual({ type: fixture.type, category: fixture.category });
    expect(classification.diagnostic).toBe(text);
  });
});

describe('classifySmtpFailure', () => {
  it('keeps the diagnostic unchanged and explains in one line', () => {
    const answer = {
      code: 550,
      enhanced: '5.1.1',
      response: '550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table',
    };
    expect(classifySmtpFailure(answer)).toEqual({
      type: 'hard',
      category: 'no_such_mailbox',
      explanation: 'The address does not exist (or its mailbox is disabled) at the receiving domain.',
      diagnostic: answer.response,
    });
  });

  it('takes hard or soft from the reply code', () => {
    expect(classifySmtpFailure({ code: 550, response: '550 5.1.1 no such user' }).type).toBe('hard');
    expect(classifySmtpFailure({ code: 450, response: '450 4.1.1 no such user' }).type).toBe('soft');
    expect(classifySmtpFailure({ response: 'connect ECONNREFUSED 127.0.0.1:25' }).type).toBe('soft');
  });

  it('makes a full mailbox soft even with a 5xx: it clears by itself', () => {
    expect(classifySmtpFailure({ code: 552, response: '552 5.2.2 Mailbox full' })).toMatchObject({
      type: 'soft',
      category: 'mailbox_full',
    });
    expect(classifySmtpFailure({ code: 552, enhanced: '5.2.2', response: '552 sorry' })).toMatchObject({
      type: 'soft',
      category: 'mailbox_full',
    });
  });

  it('prefers the answer’s own enhanced code to one in the text', () => {
    expect(classifySmtpFailure({ code: 550, enhanced: '5.7.1', response: '550 5.1.1 whatever' }).category).toBe('policy');
  });

  it('decides by enhanced code when the words say nothing', () => {
    const cases: [string, string][] = [
      ['550 5.1.1 x', 'no_such_mailbox'],
      ['550 5.1.2 x', 'domain_not_found'],
      ['556 5.1.10 x', 'domain_not_found'],
      ['550 5.1.7 x', 'policy'],
      ['550 5.2.1 x', 'no_such_mailbox'],
      ['552 5.2.2 x', 'mailbox_full'],
      ['552 5.2.3 x', 'message_too_large'],
      ['552 5.3.4 x', 'message_too_large'],
      ['451 4.4.1 x', 'relay_unreachable'],
      ['554 5.4.4 x', 'domain_not_found'],
      ['550 5.5.2 x', 'other'],
      ['421 4.7.0 x', 'rate_limited'],
      ['550 5.7.0 x', 'policy'],
      ['550 5.7.1 x', 'policy'],
      ['550 5.7.23 x', 'policy'],
      ['550 5.7.25 x', 'policy'],
      ['550 5.7.26 x', 'policy'],
      ['421 4.7.28 x', 'rate_limited'],
    ];
    for (const [response, category] of cases) expect(classifySmtpFailure(answerFromDiagnostic(response)).category, response).toBe(category);
  });

  it('falls back on the basic code', () => {
    expect(classifySmtpFailure({ code: 421, response: '421 closing' }).category).toBe('relay_unreachable');
    expect(classifySmtpFailure({ code: 550, response: '550 Requested action not taken' })).toMatchObject({
      type: 'hard',
      category: 'other',
      explanation: EXPLANATIONS.other,
    });
    expect(classifySmtpFailure({ code: 451, response: '451 local error' })).toMatchObject({ type: 'soft', category: 'other' });
  });

  it('lets decisive words win over generic codes, and decisive codes over words', () => {
    // Gmail's 5.2.1 rate refusal is not a disabled mailbox.
    expect(classifySmtpFailure(answerFromDiagnostic('550 5.2.1 receiving mail at a rate that prevents delivery')).category).toBe(
      'rate_limited',
    );
    // Gmail's 5.7.26 says "blocked" but is about authentication.
    expect(classifySmtpFailure(answerFromDiagnostic('550 5.7.26 has been blocked')).category).toBe('policy');
    // "Domain not found" about the sender is the sender's problem, not the recipient's.
    expect(classifySmtpFailure(answerFromDiagnostic('450 4.1.8 <a@b.test>: Sender address rejected: Domain not found')).category).toBe(
      'policy',
    );
  });

  it('does not read a refusal of our own account as a missing mailbox', () => {
    expect(
      classifySmtpFailure({ code: 554, enhanced: '5.7.1', response: '554 5.7.1 SES AccountSuspendedException: account suspended' })
        .category,
    ).toBe('policy');
    expect(
      classifySmtpFailure({
        code: 554,
        enhanced: '5.7.1',
        response: '554 5.7.1 SES MailFromDomainNotVerifiedException: MAIL FROM domain not verified',
      }).category,
    ).toBe('policy');
  });

  it('tells relay throttling from an unreachable relay when there is no reply code', () => {
    expect(classifySmtpFailure({ response: 'SES TooManyRequestsException: Maximum sending rate exceeded.' }).category).toBe('rate_limited');
    expect(classifySmtpFailure({ response: 'ETIMEDOUT: Connection timeout' }).category).toBe('relay_unreachable');
    expect(classifySmtpFailure({ response: 'EAUTH: Invalid login: 535 5.7.8 bad credentials' }).category).toBe('relay_unreachable');
  });

  it('always answers with a known category, a one-line explanation and the text as given', () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 100, max: 699 }), { nil: undefined }), fc.string({ maxLength: 80 }), (code, response) => {
        const c = classifySmtpFailure(code === undefined ? { response } : { code, response });
        expect(BOUNCE_CATEGORIES).toContain(c.category);
        expect(c.explanation).toMatch(/^[^\n]{10,140}$/);
        expect(c.diagnostic).toBe(response);
        const permanent = code !== undefined && code >= 500 && code < 600;
        expect(c.type).toBe(permanent && c.category !== 'mailbox_full' ? 'hard' : 'soft');
      }),
      { numRuns: 500 },
    );
  });
});

describe('the pattern table', () => {
  it('gives every rule a category and a one-line explanation, and names each rule once', () => {
    for (const r of BOUNCE_RULES) {
      expect(BOUNCE_CATEGORIES).toContain(r.category);
      expect(r.explanation).toMatch(/^[^\n]{10,140}$/);
      expect(Boolean(r.text) !== Boolean(r.enhanced)).toBe(true);
    }
    expect(new Set(BOUNCE_RULES.map((r) => r.name)).size).toBe(BOUNCE_RULES.length);
  });
});

describe('suppressesAddress', () => {
  it('suppresses hard bounces that say the mailbox or domain does not exist, nothing else', () => {
    for (const category of BOUNCE_CATEGORIES) {
      const expected = category === 'no_such_mailbox' || category === 'domain_not_found';
      expect(suppressesAddress({ type: 'hard', category })).toBe(expected);
      expect(suppressesAddress({ type: 'soft', category })).toBe(false);
    }
  });
});

describe('enhancedStatus', () => {
  it('finds the code, not pieces of IP addresses or longer numbers', () => {
    expect(enhancedStatus('421 4.7.0 [TSS04] Messages from 0.0.0.0 deferred - 4.16.55.1; see')).toBe('4.7.0');
    expect(enhancedStatus('421 [IPTS04] Messages from 4.5.6.7 temporarily deferred - 4.16.55.1')).toBeUndefined();
    expect(enhancedStatus('550 Invalid recipient <a@b.test> (#5.1.1)')).toBe('5.1.1');
    expect(enhancedStatus('554 5.2.122 The recipient has exceeded their limit')).toBe('5.2.122');
    expect(enhancedStatus('status 5.1.1.')).toBe('5.1.1');
  });
});

describe('answerFromDiagnostic', () => {
  it('reads the reply code and enhanced code of a DSN diagnostic, keeping the text', () => {
    expect(answerFromDiagnostic('smtp; 550 5.1.1 user unknown')).toEqual({
      code: 550,
      enhanced: '5.1.1',
      response: 'smtp; 550 5.1.1 user unknown',
    });
    expect(answerFromDiagnostic('smtp;554-Transaction failed')).toEqual({ code: 554, response: 'smtp;554-Transaction failed' });
    expect(answerFromDiagnostic('550 5.7.1 blocked')).toEqual({ code: 550, enhanced: '5.7.1', response: '550 5.7.1 blocked' });
    expect(answerFromDiagnostic('X-Postfix; unknown user')).toEqual({ response: 'X-Postfix; unknown user' });
    expect(answerFromDiagnostic('connect ECONNREFUSED 127.0.0.1:25')).toEqual({ response: 'connect ECONNREFUSED 127.0.0.1:25' });
  });
});

describe('classifySesBounce', () => {
  it.each(SES_SUBTYPES.map((f) => [f.bounceType, f.bounceSubType, f] as const))('%s/%s', (bounceType, bounceSubType, fixture) => {
    const c = classifySesBounce(bounceType, bounceSubType);
    expect({ type: c.type, category: c.category }).toEqual({ type: fixture.type, category: fixture.category });
    expect(c.explanation).toMatch(/^[^\n]{10,140}$/);
    expect(c.diagnostic).toBe(`${bounceType}/${bounceSubType}`);
  });

  it.each(SES_WITH_DIAGNOSTICS.map((f) => [f.bounceType, f.bounceSubType, f.diagnosticCode, f] as const))(
    '%s/%s with %j',
    (bounceType, bounceSubType, diagnosticCode, fixture) => {
      const c = classifySesBounce(bounceType, bounceSubType, diagnosticCode);
      expect({ type: c.type, category: c.category }).toEqual({ type: fixture.type, category: fixture.category });
      expect(c.diagnostic).toBe(diagnosticCode);
    },
  );

  it('keeps a specific sub-type over the diagnostic, except to name a missing domain', () => {
    expect(classifySesBounce('Transient', 'MailboxFull', 'smtp; 550 5.1.1 user unknown')).toMatchObject({
      type: 'soft',
      category: 'mailbox_full',
    });
    expect(classifySesBounce('Permanent', 'NoEmail', 'smtp; 550 5.1.2 <a@nowhere.test>: domain not found')).toMatchObject({
      type: 'hard',
      category: 'domain_not_found',
    });
  });

  it('says Transient/General may be an automatic reply', () => {
    expect(classifySesBounce('Transient', 'General').explanation).toMatch(/out-of-office/);
  });

  it('reads types and sub-types without regard to case (SES v2 spells them in capitals)', () => {
    expect(classifySesBounce('PERMANENT', 'NOEMAIL')).toMatchObject({ type: 'hard', category: 'no_such_mailbox' });
    expect(classifySesBounce('TRANSIENT', 'mailboxfull')).toMatchObject({ type: 'soft', category: 'mailbox_full' });
  });

  it('treats an unknown type like Undetermined and an unknown sub-type like General', () => {
    expect(classifySesBounce('Sideways', 'Unheard')).toMatchObject({ type: 'soft', category: 'other' });
    expect(classifySesBounce('Permanent', 'Unheard')).toMatchObject({ type: 'hard', category: 'other' });
  });
});
