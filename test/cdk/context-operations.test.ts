import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { CONTEXT, ContextError, DEFAULT_ALARM_THRESHOLDS, readMailroomContext } from '../../cdk/context.ts';

/** Reads the context of a bare construct tree (an App would create an output folder per call). */
function read(context: Record<string, unknown>) {
  const root = new Construct(undefined as unknown as Construct, '');
  for (const [key, value] of Object.entries(context)) root.node.setContext(key, value);
  return readMailroomContext(root.node);
}

const refuses = (context: Record<string, unknown>, message: RegExp) => {
  expect(() => read(context)).toThrow(ContextError);
  expect(() => read(context)).toThrow(message);
};

const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

describe('alarm thresholds', () => {
  it('default to the documented values, the SES ones at the rates AWS reviews and pauses accounts at', () => {
    expect(read({}).alarmThresholds).toEqual(DEFAULT_ALARM_THRESHOLDS);
    expect(DEFAULT_ALARM_THRESHOLDS).toMatchObject({
      sesBounceRateReview: 0.05,
      sesBounceRatePause: 0.1,
      sesComplaintRateReview: 0.001,
      sesComplaintRatePause: 0.005,
    });
  });

  it('change only the fields given, from cdk.json or as JSON from -c', () => {
    expect(read({ [CONTEXT.alarmThresholds]: { sendQueueAgeSeconds: 600, apiServerErrorRate: 0.01 } }).alarmThresholds).toEqual({
      ...DEFAULT_ALARM_THRESHOLDS,
      sendQueueAgeSeconds: 600,
      apiServerErrorRate: 0.01,
    });
    expect(read({ [CONTEXT.alarmThresholds]: '{"sentStalledMinutes": 30}' }).alarmThresholds.sentStalledMinutes).toBe(30);
  });

  it.each([
    ['{"sendQueueAgeSeconds": 30}', /field sendQueueAgeSeconds must be a whole number from 60/],
    ['{"functionErrors": 1.5}', /field functionErrors must be a whole number/],
    ['{"apiServerErrorRate": 5}', /field apiServerErrorRate must be a fraction above 0 and at most 1/],
    ['{"sesComplaintRateReview": 0}', /field sesComplaintRateReview must be a fraction/],
    ['{"sentStalledMinutes": 12}', /field sentStalledMinutes must be a multiple of 5 from 10 to 1440/],
    ['{"sesBounceRateReview": 0.2}', /field sesBounceRateReview must not be above sesBounceRatePause/],
    ['{"queueAge": 60}', /has unknown field\(s\) queueAge \(known: sendQueueAgeSeconds, /],
    ['[1]', /must be an object of thresholds/],
    ['{oops', /must be JSON/],
  ])('refuses %s, naming the key', (value, message) => {
    refuses({ [CONTEXT.alarmThresholds]: value }, new RegExp(`context mailroom:alarmThresholds ${message.source}`));
  });
});

describe('alarm email, log level, deletion protection', () => {
  it('subscribe nobody, log at INFO and protect the tables unless told', () => {
    const context = read({});
    expect(context.alarmEmail).toBeUndefined();
    expect(context.logLevel).toBe('INFO');
    expect(context.deletionProtection).toBe(true);
  });

  it('take an address, a level in any case, and false as a value or a string', () => {
    expect(read({ [CONTEXT.alarmEmail]: 'oncall@example.com' }).alarmEmail).toBe('oncall@example.com');
    expect(read({ [CONTEXT.logLevel]: 'debug' }).logLevel).toBe('DEBUG');
    expect(read({ [CONTEXT.deletionProtection]: 'false' }).deletionProtection).toBe(false);
    expect(read({ [CONTEXT.deletionProtection]: false }).deletionProtection).toBe(false);
    expect(read({ [CONTEXT.deletionProtection]: 'true' }).deletionProtection).toBe(true);
  });

  it.each([
    [CONTEXT.alarmEmail, 'oncall', /must be a plain email address/],
    [CONTEXT.logLevel, 'verbose', /must be one of DEBUG, INFO, WARN, ERROR, got "VERBOSE"/],
    [CONTEXT.deletionProtection, 'no', /must be true or false/],
  ])('refuses %s = %s', (key, value, message) => {
    refuses({ [key]: value }, new RegExp(`context ${key} ${message.source}`));
  });
});

describe('custom domain', () => {
  it('is absent unless a domain name is given', () => {
    expect(read({}).customDomain).toBeUndefined();
  });

  it('takes a certificate, or a hosted zone to make one in, or both', () => {
    expect(read({ [CONTEXT.domainName]: 'Mail.Example.com', [CONTEXT.certificateArn]: CERTIFICATE }).customDomain).toEqual({
      domainName: 'mail.example.com',
      certificateArn: CERTIFICATE,
    });
    const zone = { [CONTEXT.hostedZoneId]: 'Z0123456789ABCDEFGHIJ', [CONTEXT.hostedZoneName]: 'example.com' };
    expect(read({ [CONTEXT.domainName]: 'mail.example.com', ...zone }).customDomain).toEqual({
      domainName: 'mail.example.com',
      hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 'example.com' },
    });
    expect(read({ [CONTEXT.domainName]: 'example.com', [CONTEXT.certificateArn]: CERTIFICATE, ...zone }).customDomain).toEqual({
      domainName: 'example.com',
      certificateArn: CERTIFICATE,
      hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 'example.com' },
    });
  });

  it.each([
    [{ [CONTEXT.domainName]: 'mail.example.com' }, /mailroom:domainName needs a certificate/],
    [{ [CONTEXT.domainName]: 'mail', [CONTEXT.certificateArn]: CERTIFICATE }, /mailroom:domainName must be a DNS name/],
    [{ [CONTEXT.domainName]: 'mail.example.com', [CONTEXT.certificateArn]: 'arn:aws:acm:x' }, /mailroom:certificateArn must be the ARN/],
    [{ [CONTEXT.certificateArn]: CERTIFICATE }, /mailroom:certificateArn applies only with mailroom:domainName/],
    [
      { [CONTEXT.domainName]: 'mail.example.com', [CONTEXT.hostedZoneId]: 'Z1' },
      /mailroom:hostedZoneName is needed with mailroom:hostedZoneId/,
    ],
    [
      { [CONTEXT.domainName]: 'mail.example.com', [CONTEXT.hostedZoneId]: 'zone', [CONTEXT.hostedZoneName]: 'example.com' },
      /mailroom:hostedZoneId must be a Route 53 hosted zone id/,
    ],
    [
      { [CONTEXT.domainName]: 'mail.example.com', [CONTEXT.hostedZoneId]: 'Z1', [CONTEXT.hostedZoneName]: 'example.org' },
      /mailroom:hostedZoneName must be mail.example.com or a parent of it/,
    ],
    [
      { [CONTEXT.domainName]: 'mail.example.com', [CONTEXT.hostedZoneId]: 'Z1', [CONTEXT.hostedZoneName]: 'ample.com' },
      /mailroom:hostedZoneName must be mail.example.com or a parent of it/,
    ],
  ])('refuses %j', (context, message) => refuses(context, message));
});
