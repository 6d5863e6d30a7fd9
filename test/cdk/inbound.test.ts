/** SES receiving for the return path: off by default; on, a rule set → bucket + topic → queue → the inbound function, least privilege, cdk-nag clean. */
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lib/env.ts';
import { EVENT_SOURCES, FUNCTIONS, INBOUND_QUEUE } from '../../lib/topology.ts';
import { buildStack, removeSynthOutput } from './stack-fixture.ts';
import { flatten, functionEnvironment, resourcesFor, resourceStartingWith, roleStatements } from './template-queries.ts';

afterAll(removeSynthOutput);

const unacknowledged = (stack: Parameters<AwsSolutionsChecks['validateScope']>[0]) =>
  new AwsSolutionsChecks()
    .validateScope(stack)
    .violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);

describe('inbound receiving', () => {
  it('is off by default: no rule set, no inbound function, no return path', () => {
    const { template } = buildStack({ relay: { kind: 'smtp' } });
    template.resourceCountIs('AWS::SES::ReceiptRuleSet', 0);
    expect(Object.keys(template.findResources('AWS::Lambda::Function')).some((id) => id.startsWith('InboundFunction'))).toBe(false);
    expect(functionEnvironment(template, 'DeliverFunction')[ENV.returnPathMx]).toBeUndefined();
  });

  for (const relay of [{ kind: 'smtp' as const }, { kind: 'ses' as const }]) {
    it(`synthesizes with receiving on and leaves cdk-nag nothing (relay ${relay.kind})`, () => {
      const { stack } = buildStack({ relay, inboundReceiving: true });
      expect(unacknowledged(stack)).toEqual([]);
    });
  }

  const { template } = buildStack({ relay: { kind: 'smtp' }, inboundReceiving: true });

  it('stores every message SES takes in the private bucket, scanned, and notifies the topic', () => {
    template.resourceCountIs('AWS::SES::ReceiptRuleSet', 1);
    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        Enabled: true,
        ScanEnabled: true,
        Actions: [{ S3Action: Match.objectLike({ ObjectKeyPrefix: 'inbound/', TopicArn: Match.anyValue() }) }],
      }),
    });
    const [, bucket] = resourceStartingWith(template, 'AWS::S3::Bucket', 'InboundBucket');
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: expect.any(Number) })] },
    });
  });

  it('feeds the inbound function from an encrypted queue with a DLQ, ten records at a time', () => {
    const [queueId, queue] = resourceStartingWith(template, 'AWS::SQS::Queue', 'InboundQueue');
    const [dlqId] = resourceStartingWith(template, 'AWS::SQS::Queue', 'InboundDeadLetterQueue');
    expect(queue.Properties).toMatchObject({
      VisibilityTimeout: INBOUND_QUEUE.visibilityTimeoutSeconds,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: INBOUND_QUEUE.maxReceiveCount },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: Match.stringLikeRegexp('^InboundFunction') },
      BatchSize: EVENT_SOURCES.inbound.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      MemorySize: FUNCTIONS.inbound.memoryMb,
      Timeout: FUNCTIONS.inbound.timeoutSeconds,
    });
  });

  it("gives the functions the region's SES inbound endpoint as the bounce domains' MX, and the bucket", () => {
    const env = functionEnvironment(template, 'DeliverFunction');
    expect(JSON.stringify(env[ENV.returnPathMx])).toContain('inbound-smtp.');
    expect(env[ENV.inboundBucket]).toBeDefined();
  });

  it('lets the inbound function read the stored messages and the link key, and nothing it does not need', () => {
    const statements = roleStatements(template, 'InboundFunction');
    const actions = statements.flatMap((s) => s.actions);
    expect(flatten(resourcesFor(statements, 's3:GetObject'))).toContain('/inbound/*');
    expect(actions).toContain('s3:GetObject');
    expect(actions).toContain('secretsmanager:GetSecretValue');
    // Inbound routes: attachments stored as export files, events queued as webhook tries.
    expect(flatten(resourcesFor(statements, 's3:PutObject'))).not.toContain('InboundBucket');
    expect(flatten(resourcesFor(statements, 'sqs:SendMessage'))).toContain('WebhooksQueue');
    expect(actions.filter((a) => a.startsWith('ses:'))).toEqual([]);
  });
});
