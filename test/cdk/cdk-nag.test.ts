import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import type { RelayProps } from '../../cdk/context.ts';
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
    (v) =>
      `${v.severity} ${v.ruleName}: ${v.description} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
  );
}

const RELAYS: [string, RelayProps][] = [
  ['ses, new configuration set', { kind: 'ses' }],
  ['ses, existing configuration set', { kind: 'ses', configurationSetName: 'transactional' }],
  ['smtp, new secret', { kind: 'smtp' }],
  ['smtp, existing secret', { kind: 'smtp', secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:smtp-AbC123' }],
];

describe('cdk-nag AwsSolutions', () => {
  it.each(RELAYS)('leaves no unacknowledged errors or warnings (relay %s)', (_, relay) => {
    const { stack } = buildStack({ relay });
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
