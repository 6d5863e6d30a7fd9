import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { CONTEXT, ContextError, DEFAULT_API_RATE_LIMIT, readMailroomContext } from '../../cdk/context.ts';
import { EVENT_SOURCES } from '../../lib/topology.ts';

/** Reads the context of a bare construct tree (an App would create an output folder per call). */
function read(context: Record<string, unknown>) {
  const root = new Construct(undefined as unknown as Construct, '');
  for (const [key, value] of Object.entries(context)) root.node.setContext(key, value);
  return readMailroomContext(root.node);
}

const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:mailroom/smtp-a1B2c3';

describe('readMailroomContext', () => {
  it('defaults to SES with a new configuration set and the topology concurrency', () => {
    expect(read({})).toEqual({
      relay: { kind: 'ses' },
      deliverMaxConcurrency: EVENT_SOURCES.deliver.defaultMaxConcurrency,
      apiRateLimit: DEFAULT_API_RATE_LIMIT,
    });
  });

  it('reads the values cdk.json ships with', () => {
    expect(
      read({ [CONTEXT.relay]: 'ses', [CONTEXT.sesConfigurationSet]: '', [CONTEXT.deliverMaxConcurrency]: 10 }),
    ).toEqual({ relay: { kind: 'ses' }, deliverMaxConcurrency: 10, apiRateLimit: DEFAULT_API_RATE_LIMIT });
  });

  it('takes a public link origin and an unsubscribe mailbox', () => {
    expect(read({ [CONTEXT.publicUrl]: 'https://mail.example.com', [CONTEXT.unsubscribeMailto]: 'leave@example.com' })).toMatchObject({
      publicUrl: 'https://mail.example.com',
      unsubscribeMailto: 'leave@example.com',
    });
  });

  it.each([
    ['http://mail.example.com', 'https://'],
    ['https://mail.example.com/', 'without a path'],
    ['https://mail.example.com/links', 'without a path'],
  ])('refuses the public URL %s', (value, words) => {
    expect(() => read({ [CONTEXT.publicUrl]: value })).toThrow(ContextError);
    expect(() => read({ [CONTEXT.publicUrl]: value })).toThrow(words);
  });

  it('takes the API rate limit per tenant, 0 turning it off', () => {
    expect(read({ [CONTEXT.apiRateLimit]: '200' }).apiRateLimit).toBe(200);
    expect(read({ [CONTEXT.apiRateLimit]: 0 }).apiRateLimit).toBe(0);
    expect(() => read({ [CONTEXT.apiRateLimit]: '-1' })).toThrow(/mailroom:apiRateLimit must be a whole number/);
    expect(() => read({ [CONTEXT.apiRateLimit]: 'lots' })).toThrow(ContextError);
  });

  it('refuses an unsubscribe mailbox that is not a plain address', () => {
    expect(() => read({ [CONTEXT.unsubscribeMailto]: 'Leave <leave@example.com>' })).toThrow(/mailroom:unsubscribeMailto must be a plain email address/);
  });

  it('takes an existing configuration set', () => {
    expect(read({ [CONTEXT.sesConfigurationSet]: 'marketing_1' }).relay).toEqual({
      kind: 'ses',
      configurationSetName: 'marketing_1',
    });
  });

  it('takes smtp with or without an existing secret', () => {
    expect(read({ [CONTEXT.relay]: 'smtp' }).relay).toEqual({ kind: 'smtp' });
    expect(read({ [CONTEXT.relay]: 'smtp', [CONTEXT.smtpSecretArn]: SECRET }).relay).toEqual({
      kind: 'smtp',
      secretArn: SECRET,
    });
  });

  it('accepts the concurrency as a string, as `cdk -c` passes it', () => {
    expect(read({ [CONTEXT.deliverMaxConcurrency]: '50' }).deliverMaxConcurrency).toBe(50);
  });

  it.each([
    [{ [CONTEXT.relay]: 'sendgrid' }, /mailroom:relay must be "ses" or "smtp", got "sendgrid"/],
    [{ [CONTEXT.relay]: 1 }, /mailroom:relay must be a string/],
    [{ [CONTEXT.deliverMaxConcurrency]: 1 }, /mailroom:deliverMaxConcurrency must be a whole number from 2 to 1000, got 1/],
    [{ [CONTEXT.deliverMaxConcurrency]: '2.5' }, /mailroom:deliverMaxConcurrency must be a whole number/],
    [{ [CONTEXT.deliverMaxConcurrency]: 'ten' }, /mailroom:deliverMaxConcurrency must be a whole number/],
    [{ [CONTEXT.deliverMaxConcurrency]: 1001 }, /mailroom:deliverMaxConcurrency must be a whole number/],
    [{ [CONTEXT.sesConfigurationSet]: 'has space' }, /mailroom:sesConfigurationSet must be an SES configuration set name/],
    [{ [CONTEXT.smtpSecretArn]: SECRET }, /mailroom:smtpSecretArn applies only when mailroom:relay is "smtp"/],
    [
      { [CONTEXT.relay]: 'smtp', [CONTEXT.sesConfigurationSet]: 'x' },
      /mailroom:sesConfigurationSet applies only when mailroom:relay is "ses"/,
    ],
    [
      { [CONTEXT.relay]: 'smtp', [CONTEXT.smtpSecretArn]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:smtp' },
      /mailroom:smtpSecretArn must be the complete ARN/,
    ],
  ])('rejects %j', (context, message) => {
    expect(() => read(context)).toThrow(ContextError);
    expect(() => read(context)).toThrow(message);
  });
});
