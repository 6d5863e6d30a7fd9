import type { NodemailerError } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { PoisonMessageError } from '../../../lib/domain/errors.ts';
import { classifyAnswer } from '../../../lib/domain/smtp-reply.ts';
import { answersFromError, answersFromInfo, replyAnswer } from '../../../lib/adapters/smtp/smtp-answers.ts';

// Errors shaped as nodemailer 10 builds them (smtp-connection's _formatError); the
// integration tests produce the common ones from a real server.
function smtpError(code: string, message: string, extra: Partial<NodemailerError> = {}): NodemailerError {
  return Object.assign(new Error(message), { code, ...extra });
}

describe('replyAnswer', () => {
  it('reads the code and the enhanced status of a reply line', () => {
    expect(replyAnswer('250 2.0.0 Ok: queued as 4F2')).toEqual({ code: 250, enhanced: '2.0.0', response: '250 2.0.0 Ok: queued as 4F2' });
    expect(replyAnswer('250 OK: message queued')).toEqual({ code: 250, response: '250 OK: message queued' });
    expect(replyAnswer('garbled')).toEqual({ response: 'garbled' });
  });
});

describe('answersFromInfo', () => {
  it('matches recipients without regard to case and claims nothing for unknown ones', () => {
    const answers = answersFromInfo(['Jane@Remote.test', 'bob@remote.test', 'lost@remote.test'], {
      accepted: ['jane@remote.test'],
      rejected: ['BOB@remote.test'],
      rejectedErrors: [
        smtpError('EENVELOPE', 'Recipient command failed', {
          recipient: 'BOB@remote.test',
          response: '550 5.1.1 unknown',
          responseCode: 550,
        }),
      ],
      response: '250 2.0.0 queued',
    });
    expect(answers).toEqual([
      { email: 'Jane@Remote.test', code: 250, enhanced: '2.0.0', response: '250 2.0.0 queued' },
      { email: 'bob@remote.test', code: 550, enhanced: '5.1.1', response: '550 5.1.1 unknown' },
      { email: 'lost@remote.test', response: 'the relay did not answer for this recipient' },
    ]);
    expect(classifyAnswer(answers[2]!).kind).toBe('deferred');
  });
});

describe('answersFromError', () => {
  const to = ['a@remote.test', 'b@remote.test'];

  it('defers on authentication failures although they carry a 5xx reply', () => {
    const answers = answersFromError(
      to,
      smtpError('EAUTH', 'Invalid login: 535 5.7.8 bad credentials', { responseCode: 535, response: '535 5.7.8 bad credentials' }),
    );
    expect(answers.map((a) => a.code)).toEqual([undefined, undefined]);
    expect(answers[0]?.response).toBe('EAUTH: Invalid login: 535 5.7.8 bad credentials');
  });

  it('gives every recipient a refused MAIL FROM', () => {
    const answers = answersFromError(
      to,
      smtpError('EENVELOPE', 'Mail command failed', { command: 'MAIL FROM', response: '553 5.7.1 sender rejected', responseCode: 553 }),
    );
    expect(answers.map((a) => [a.code, a.enhanced])).toEqual([
      [553, '5.7.1'],
      [553, '5.7.1'],
    ]);
  });

  it("answers nodemailer's local SIZE refusal like the server would, without suppressing", () => {
    const answers = answersFromError(to, smtpError('EMESSAGE', 'Message size larger than allowed 1000', { command: 'MAIL FROM' }));
    expect(answers[0]).toEqual({
      email: 'a@remote.test',
      code: 552,
      enhanced: '5.3.4',
      response: '552 5.3.4 Message size larger than allowed 1000',
    });
    expect(classifyAnswer(answers[0]!)).toEqual({ kind: 'bounced', bounceType: 'hard', suppress: false });
  });

  it('throws PoisonMessageError when nodemailer refuses the envelope itself', () => {
    expect(() => answersFromError(to, smtpError('EENVELOPE', 'Invalid recipient "x"', { command: 'API' }))).toThrow(PoisonMessageError);
  });

  it('scrubs the password from any text it keeps', () => {
    const answers = answersFromError(to, smtpError('ECONNECTION', 'server said hunter2'), (text) => text.replaceAll('hunter2', '***'));
    expect(answers[0]?.response).toBe('ECONNECTION: server said ***');
  });
});
