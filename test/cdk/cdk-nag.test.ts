import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import type { RelayProps, SmtpServiceSettings } from '../../cdk/context.ts';
import { buildStack, removeSynthOutput } from './stack-fixture.ts';

afterAll(removeSynthOutput);

/**
 * Runs the AWS Solutions pack the way the app's validation plugin does (cdk-nag 3
 * `validateScope`, which honours `Validations.of(...).acknowledge`) and lists what is left,
 * errors and warnings alike.
 */
function unacknowledged(scope: Parameters<AwsSolutionsChecks['validateScope']>[0]): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.map(
    (v) => `${v.severity} ${v.ruleName}: ${v.description} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
  );
}

const RELAYS: [string, RelayProps][] = [
  ['ses, new configuration set', { kind: 'ses' }],
  ['ses, existing configuration set', { kind: 'ses', configurationSetName: 'transactional' }],
  ['smtp, new secret', { kind: 'smtp' }],
  ['smtp, existing secret', { kind: 'smtp', secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:smtp-AbC123' }],
];

/** The SMTP submission service and dedicated IP pools, all switched on. */
const SMTP_SERVICE: SmtpServiceSettings = {
  certificateSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mailroom/smtp-tls-AbC123',
  hostname: 'smtp.example.com',
  desiredCount: 2,
  cpu: 256,
  memoryMiB: 512,
  allowedCidrs: ['0.0.0.0/0'],
};

describe('cdk-nag AwsSolutions', () => {
  it.each(RELAYS)('leaves no unacknowledged errors or warnings (relay %s)', (_, relay) => {
    const { stack } = buildStack({ relay });
    expect(unacknowledged(stack)).toEqual([]);
  });

  it('leaves no unacknowledged errors or warnings with the SMTP service and dedicated IP pools', () => {
    const { stack } = buildStack({
      smtpService: SMTP_SERVICE,
      dedicatedIpPools: [
        { name: 'transactional', scalingMode: 'STANDARD' },
        { name: 'bulk', scalingMode: 'MANAGED' },
      ],
    });
    expect(unacknowledged(stack)).toEqual([]);
  });

  it('leaves none with the SMTP service open to listed networks only, relay smtp', () => {
    const { stack } = buildStack({ relay: { kind: 'smtp' }, smtpService: { ...SMTP_SERVICE, allowedCidrs: ['203.0.113.0/24'] } });
    expect(unacknowledged(stack)).toEqual([]);
  });

  it.each([
    ['a hosted zone', { domainName: 'mail.example.com', hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 'example.com' } }],
    [
      'a certificate',
      {
        domainName: 'mail.example.com',
        certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
      },
    ],
  ])('leaves none with a custom domain on %s and an alarm email', (_, customDomain) => {
    const { stack } = buildStack({ customDomain, alarmEmail: 'oncall@example.com' });
    expect(unacknowledged(stack)).toEqual([]);
  });

  it('reports a violation that nobody acknowledged', () => {
    // Guards the check above against passing vacuously: a queue without DLQ or TLS policy.
    const { stack } = buildStack();
    new Queue(stack, 'Careless');
    const findings = unacknowledged(stack);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^error AwsSolutions-SQS3: .* at Mailroom\/Careless\/Resource$/),
        expect.stringMatching(/^error AwsSolutions-SQS4: .* at Mailroom\/Careless\/Resource$/),
      ]),
    );
  });
});
