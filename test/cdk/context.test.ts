import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import {
  CONTEXT,
  ContextError,
  DEFAULT_ALARM_THRESHOLDS,
  DEFAULT_API_RATE_LIMIT,
  DEFAULT_API_THROTTLE,
  DEFAULT_LOG_LEVEL,
  DEFAULT_OPERATOR_TENANT,
  DEFAULT_PUBLIC_LINKS_THROTTLE,
  DEFAULT_TRACK_RESERVED_CONCURRENCY,
  readMailroomContext,
} from '../../cdk/context.ts';
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
      operatorTenant: DEFAULT_OPERATOR_TENANT,
      apiThrottle: DEFAULT_API_THROTTLE,
      publicLinksThrottle: DEFAULT_PUBLIC_LINKS_THROTTLE,
      trackReservedConcurrency: DEFAULT_TRACK_RESERVED_CONCURRENCY,
      alarmThresholds: DEFAULT_ALARM_THRESHOLDS,
      logLevel: DEFAULT_LOG_LEVEL,
      deletionProtection: true,
      inboundReceiving: false,
    });
  });

  it('reads the values cdk.json ships with', () => {
    expect(read({ [CONTEXT.relay]: 'ses', [CONTEXT.sesConfigurationSet]: '', [CONTEXT.deliverMaxConcurrency]: 10 })).toEqual({
      relay: { kind: 'ses' },
      deliverMaxConcurrency: 10,
      apiRateLimit: DEFAULT_API_RATE_LIMIT,
      operatorTenant: DEFAULT_OPERATOR_TENANT,
      apiThrottle: DEFAULT_API_THROTTLE,
      publicLinksThrottle: DEFAULT_PUBLIC_LINKS_THROTTLE,
      trackReservedConcurrency: DEFAULT_TRACK_RESERVED_CONCURRENCY,
      alarmThresholds: DEFAULT_ALARM_THRESHOLDS,
      logLevel: DEFAULT_LOG_LEVEL,
      deletionProtection: true,
      inboundReceiving: false,
    });
  });

  it('turns SES receiving on only with true, and refuses anything else', () => {
    expect(read({ [CONTEXT.inboundReceiving]: true }).inboundReceiving).toBe(true);
    expect(read({ [CONTEXT.inboundReceiving]: 'true' }).inboundReceiving).toBe(true);
    expect(read({ [CONTEXT.inboundReceiving]: 'false' }).inboundReceiving).toBe(false);
    expect(() => read({ [CONTEXT.inboundReceiving]: 'yes' })).toThrow(/mailroom:inboundReceiving/);
  });

  it('takes throttles for the API and the public links, and the track function reservation', () => {
    expect(
      read({
        [CONTEXT.apiThrottle]: '{"rateLimit": 500, "burstLimit": 1000}',
        [CONTEXT.publicLinksThrottle]: { rateLimit: 20, burstLimit: 40 },
        [CONTEXT.trackReservedConcurrency]: '5',
      }),
    ).toMatchObject({
      apiThrottle: { rateLimit: 500, burstLimit: 1000 },
      publicLinksThrottle: { rateLimit: 20, burstLimit: 40 },
      trackReservedConcurrency: 5,
    });
    expect(read({ [CONTEXT.trackReservedConcurrency]: 'off' }).trackReservedConcurrency).toBe(false);
  });

  it.each([
    [CONTEXT.apiThrottle, '{"rateLimit": 0, "burstLimit": 10}'],
    [CONTEXT.apiThrottle, '{"rateLimit": 10}'],
    [CONTEXT.publicLinksThrottle, '{"rateLimit": 10, "burstLimit": 10, "limit": 1}'],
    [CONTEXT.publicLinksThrottle, '100'],
    [CONTEXT.trackReservedConcurrency, '0'],
    [CONTEXT.trackReservedConcurrency, 'none'],
  ])('refuses %s = %s, naming the key', (key, value) => {
    expect(() => read({ [key]: value })).toThrow(new RegExp(`context ${key} must be`));
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
    expect(read({ [CONTEXT.verifiedDomains]: 'off:legacy,beta' }).verifiedDomains).toBe('off:legacy,beta');
    expect(read({}).verifiedDomains).toBeUndefined();
    expect(() => read({ [CONTEXT.verifiedDomains]: 'sometimes' })).toThrow(/mailroom:verifiedDomains must be "required", "off"/);
    expect(read({ [CONTEXT.apiRateLimit]: '200' }).apiRateLimit).toBe(200);
    expect(read({ [CONTEXT.apiRateLimit]: 0 }).apiRateLimit).toBe(0);
    expect(() => read({ [CONTEXT.apiRateLimit]: '-1' })).toThrow(/mailroom:apiRateLimit must be a whole number/);
    expect(() => read({ [CONTEXT.apiRateLimit]: 'lots' })).toThrow(ContextError);
  });

  it('refuses an unsubscribe mailbox that is not a plain address', () => {
    expect(() => read({ [CONTEXT.unsubscribeMailto]: 'Leave <leave@example.com>' })).toThrow(
      /mailroom:unsubscribeMailto must be a plain email address/,
    );
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

const TLS_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mailroom/smtp-tls-AbC123';

describe('operator tenant', () => {
  it('takes a tenant id and refuses anything else', () => {
    expect(read({ [CONTEXT.operatorTenant]: 'ops-team' }).operatorTenant).toBe('ops-team');
    expect(() => read({ [CONTEXT.operatorTenant]: 'ops team' })).toThrow(/mailroom:operatorTenant must be a tenant id/);
  });
});

describe('dedicated IP pools', () => {
  it('takes names and {name, scalingMode} objects, from cdk.json or as JSON from -c', () => {
    const pools = [
      { name: 'transactional', scalingMode: 'STANDARD' },
      { name: 'bulk', scalingMode: 'MANAGED' },
    ];
    expect(read({ [CONTEXT.dedicatedIpPools]: ['transactional', { name: 'bulk', scalingMode: 'MANAGED' }] }).dedicatedIpPools).toEqual(
      pools,
    );
    expect(read({ [CONTEXT.dedicatedIpPools]: '["transactional",{"name":"bulk","scalingMode":"MANAGED"}]' }).dedicatedIpPools).toEqual(
      pools,
    );
  });

  it('is absent when empty', () => {
    expect(read({ [CONTEXT.dedicatedIpPools]: [] })).not.toHaveProperty('dedicatedIpPools');
    expect(read({ [CONTEXT.dedicatedIpPools]: '' })).not.toHaveProperty('dedicatedIpPools');
  });

  it.each([
    [{ [CONTEXT.dedicatedIpPools]: 'bulk' }, /mailroom:dedicatedIpPools must be JSON/],
    [{ [CONTEXT.dedicatedIpPools]: { name: 'bulk' } }, /must be a list of pool names/],
    [
      { [CONTEXT.relay]: 'smtp', [CONTEXT.dedicatedIpPools]: ['bulk'] },
      /mailroom:dedicatedIpPools applies only when mailroom:relay is "ses"/,
    ],
    [{ [CONTEXT.dedicatedIpPools]: ['has space'] }, /entry 0 name must be letters, digits/],
    [{ [CONTEXT.dedicatedIpPools]: ['shared'] }, /not "shared"/],
    [
      { [CONTEXT.dedicatedIpPools]: ['a', { name: 'b', scalingMode: 'AUTO' }] },
      /entry 1 scalingMode must be "STANDARD" or "MANAGED", got "AUTO"/,
    ],
    [{ [CONTEXT.dedicatedIpPools]: [{ name: 'b', mode: 'MANAGED' }] }, /entry 0 has unknown field\(s\) mode/],
    [{ [CONTEXT.dedicatedIpPools]: ['bulk', 'bulk'] }, /names the pool "bulk" twice/],
  ])('rejects %j', (context, message) => {
    expect(() => read(context)).toThrow(ContextError);
    expect(() => read(context)).toThrow(message);
  });
});

describe('SMTP service', () => {
  const enabled = { enabled: true, certificateSecretArn: TLS_SECRET, hostname: 'SMTP.example.com' };

  it('is off unless enabled', () => {
    expect(read({})).not.toHaveProperty('smtpService');
    expect(read({ [CONTEXT.smtp]: { enabled: false } })).not.toHaveProperty('smtpService');
    expect(read({ [CONTEXT.smtp]: { ...enabled, enabled: false } })).not.toHaveProperty('smtpService');
  });

  it('fills in the defaults, from an object or JSON', () => {
    const expected = {
      certificateSecretArn: TLS_SECRET,
      hostname: 'smtp.example.com',
      desiredCount: 2,
      cpu: 256,
      memoryMiB: 512,
      allowedCidrs: ['0.0.0.0/0'],
    };
    expect(read({ [CONTEXT.smtp]: enabled }).smtpService).toEqual(expected);
    expect(read({ [CONTEXT.smtp]: JSON.stringify(enabled) }).smtpService).toEqual(expected);
  });

  it('takes the size, count and networks', () => {
    const settings = { ...enabled, desiredCount: 4, cpu: 1024, memoryMiB: 2048, allowedCidrs: ['203.0.113.0/24'] };
    expect(read({ [CONTEXT.smtp]: settings }).smtpService).toMatchObject({
      desiredCount: 4,
      cpu: 1024,
      memoryMiB: 2048,
      allowedCidrs: ['203.0.113.0/24'],
    });
  });

  it.each([
    [
      { enabled: true, hostname: 'smtp.example.com' },
      /certificateSecretArn must be the complete ARN of a Secrets Manager secret holding \{"cert","key"\}/,
    ],
    [
      { ...enabled, certificateSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tls' },
      /certificateSecretArn must be the complete ARN/,
    ],
    [{ ...enabled, hostname: undefined }, /hostname must be the DNS name clients connect to/],
    [{ ...enabled, hostname: 'smtp' }, /hostname must be the DNS name/],
    [{ ...enabled, enabled: 'yes' }, /enabled must be true or false/],
    [{ ...enabled, desiredCount: 0 }, /desiredCount must be a whole number from 1 to 50/],
    [{ ...enabled, cpu: 300 }, /cpu must be one of 256, 512, 1024, 2048/],
    [{ ...enabled, cpu: 256, memoryMiB: 4096 }, /memoryMiB 4096 does not go with cpu 256 on Fargate \(allowed: 512, 1024, 2048\)/],
    [{ ...enabled, allowedCidrs: ['10.0.0.0/33'] }, /allowedCidrs must be a non-empty list of IPv4 CIDRs/],
    [{ ...enabled, allowedCidrs: [] }, /allowedCidrs must be a non-empty list/],
    [{ ...enabled, certificate: 'x' }, /has unknown field\(s\) certificate/],
    ['{enabled', /mailroom:smtp must be JSON/],
    [true, /mailroom:smtp must be an object/],
  ])('rejects %j', (value, message) => {
    expect(() => read({ [CONTEXT.smtp]: value })).toThrow(ContextError);
    expect(() => read({ [CONTEXT.smtp]: value })).toThrow(message);
  });

  it('reads the webhook ports and endpoint limit, and refuses malformed ones naming the key', () => {
    expect(read({ 'mailroom:webhookPorts': [443, 8443, 443], 'mailroom:webhookMaxEndpoints': '25' })).toMatchObject({
      webhookPorts: [443, 8443],
      webhookMaxEndpoints: 25,
    });
    expect(read({ 'mailroom:webhookPorts': '443, 9443' }).webhookPorts).toEqual([443, 9443]);
    expect(read({})).not.toHaveProperty('webhookPorts');
    expect(() => read({ 'mailroom:webhookPorts': [0] })).toThrow(/mailroom:webhookPorts/);
    expect(() => read({ 'mailroom:webhookPorts': 'https' })).toThrow(ContextError);
    expect(() => read({ 'mailroom:webhookMaxEndpoints': 0 })).toThrow(/mailroom:webhookMaxEndpoints/);
  });
});
