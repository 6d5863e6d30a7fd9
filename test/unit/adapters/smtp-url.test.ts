import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_CONNECTIONS,
  SmtpUrlError,
  redactSmtpUrl,
  smtpPoolOptions,
  smtpUrlPassword,
} from '../../../lib/adapters/smtp/smtp-url.ts';

describe('smtpPoolOptions', () => {
  it('reads host, port, credentials and TLS mode, always pooled', () => {
    const options = smtpPoolOptions('smtps://user%40example.org:p%40ss%2Fword@smtp.example.org:465');
    expect(options).toMatchObject({
      host: 'smtp.example.org',
      port: 465,
      secure: true,
      auth: { user: 'user@example.org', pass: 'p@ss/word' },
      pool: true,
      maxConnections: DEFAULT_MAX_CONNECTIONS,
    });
    expect(smtpPoolOptions('smtp://relay.example.org:2525')).toMatchObject({ host: 'relay.example.org', port: 2525, secure: false });
  });

  it('takes nodemailer query options, nested tls ones included, and lets overrides win', () => {
    const options = smtpPoolOptions(
      'smtp://relay.example.org:587?tls.rejectUnauthorized=false&requireTLS=true&maxConnections=9&pool=false',
      {
        connectionTimeout: 1234,
      },
    );
    expect(options).toMatchObject({
      tls: { rejectUnauthorized: false },
      requireTLS: true,
      maxConnections: 9,
      pool: true,
      connectionTimeout: 1234,
    });
    expect(smtpPoolOptions('smtp://relay.example.org?maxConnections=9', { maxConnections: 2 }).maxConnections).toBe(2);
    // Short timeouts by default: a dead relay must not outlast the delivery function.
    expect(smtpPoolOptions('smtp://relay.example.org').connectionTimeout).toBe(10_000);
  });

  it('refuses other schemes and malformed URLs without echoing the password', () => {
    expect(() => smtpPoolOptions('http://user:hunter2@relay.example.org')).toThrow(SmtpUrlError);
    expect(() => smtpPoolOptions('http://user:hunter2@relay.example.org')).not.toThrow(/hunter2/);
    expect(() => smtpPoolOptions('smtp://user:hunter2@')).toThrow(SmtpUrlError);
    const malformed = (() => {
      try {
        smtpPoolOptions('smtp://user:hunter2@[bad');
      } catch (error) {
        return error as Error;
      }
    })();
    expect(malformed).toBeInstanceOf(SmtpUrlError);
    expect(`${malformed?.message} ${String(malformed?.cause)}`).not.toContain('hunter2');
  });
});

describe('redactSmtpUrl and smtpUrlPassword', () => {
  it('masks the password and finds it decoded', () => {
    expect(redactSmtpUrl('smtp://user:hunter%202@relay.example.org:25')).toBe('smtp://user:***@relay.example.org:25');
    expect(redactSmtpUrl('smtp://relay.example.org:25')).toBe('smtp://relay.example.org:25');
    expect(redactSmtpUrl('not a url hunter2')).toBe('<malformed URL>');
    expect(smtpUrlPassword('smtp://user:hunter%202@relay.example.org')).toBe('hunter 2');
    expect(smtpUrlPassword('smtp://relay.example.org')).toBeUndefined();
  });
});
