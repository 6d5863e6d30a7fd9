import { describe, expect, it } from 'vitest';
import {
  DomainNotVerifiedError,
  RateLimitedError,
  SendingPausedError,
  ServiceUnavailableError,
  UnprocessableError,
} from '../../../lib/domain/errors.ts';
import { MessageTooLargeError } from '../../../lib/smtp/data-feed.ts';
import { replyFor, smtpReply } from '../../../lib/smtp/replies.ts';
import { memoryLog } from '../../support/fakes/index.ts';

const reply = (error: unknown) => {
  const answer = replyFor(error, memoryLog());
  return `${answer.responseCode} ${answer.message}`;
};

describe('SMTP replies', () => {
  it('says clearly why a sender or recipient is refused', () => {
    expect(reply(new DomainNotVerifiedError('example.com'))).toBe('550 5.7.1 Sender domain example.com is not verified');
    expect(reply(new SendingPausedError('bounce rate 9.0% over 5.0%'))).toBe(
      '550 5.7.1 Sending is paused for this account (bounce rate 9.0% over 5.0%); an operator must resume it',
    );
    expect(reply(new UnprocessableError('recipient_suppressed', 'x', { email: 'a@example.org' }))).toBe(
      '550 5.7.1 <a@example.org> is on the suppression list',
    );
    expect(reply(new UnprocessableError('invalid_message', 'The message has no valid From header.'))).toBe(
      '550 5.6.0 The message has no valid From header',
    );
  });

  it('answers 4xx for what a retry can fix', () => {
    expect(reply(new RateLimitedError(10, 1))).toBe('451 4.7.1 Rate limit of 10 messages per second exceeded, try again later');
    expect(reply(new ServiceUnavailableError())).toMatch(/^451 4\.3\.0 /);
    expect(reply(new MessageTooLargeError(1024))).toBe('552 5.3.4 Message exceeds the maximum size of 1024 bytes');
  });

  it('hides unexpected errors behind 451 and logs them', () => {
    const log = memoryLog();
    const answer = replyFor(new Error('secret internals'), log);
    expect(answer.responseCode).toBe(451);
    expect(answer.message).not.toContain('secret');
    expect(log.lines[0]?.message).toBe('smtp submission failed');
  });

  it('keeps a reply on one line', () => {
    expect(smtpReply(550, '5.7.1', 'a\r\n250 b\0c').message).toBe('5.7.1 a 250 b c');
  });
});
