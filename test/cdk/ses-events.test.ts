import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENT_SOURCES, FUNCTIONS, SES_EVENTS_QUEUE } from '../../lib/topology.ts';
import { buildStack, removeSynthOutput } from './stack-fixture.ts';
import { flatten, referencedId, resourceStartingWith, resourcesFor, roleStatements } from './template-queries.ts';

afterAll(removeSynthOutput);

// Not `open` or `click`: a configuration set whose event destination publishes them turns on
// SES's own open and click tracking (it rewrites links and adds a pixel), and mailroom's
// tracking is the one source of opens and clicks.
const ALL_EVENT_TYPES = ['send', 'reject', 'bounce', 'complaint', 'delivery', 'deliveryDelay', 'renderingFailure', 'subscription'];

describe('SES events (relay ses, new configuration set)', () => {
  const { template } = buildStack({ relay: { kind: 'ses' } });
  const [topicId] = resourceStartingWith(template, 'AWS::SNS::Topic', 'SesEventsTopic');
  const [keyId, key] = resourceStartingWith(template, 'AWS::KMS::Key', 'SesEventsKey');
  const [queueId, queue] = resourceStartingWith(template, 'AWS::SQS::Queue', 'SesEventsQueue');
  const [dlqId, dlq] = resourceStartingWith(template, 'AWS::SQS::Queue', 'SesEventsDeadLetterQueue');

  it('publishes every SES event type of the configuration set to the topic but opens and clicks', () => {
    template.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 1);
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: Match.stringLikeRegexp('^RelayConfigurationSet') },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayEquals(ALL_EVENT_TYPES),
        SnsDestination: { TopicARN: { Ref: topicId } },
      },
    });
  });

  it('encrypts the topic with a rotated customer-managed key that SES of this account may use', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const statements = (
      key.Properties.KeyPolicy as { Statement: { Principal?: { Service?: string }; Action: string[]; Condition?: unknown }[] }
    ).Statement;
    const ses = statements.filter((s) => s.Principal?.Service === 'ses.amazonaws.com');
    expect(ses).toHaveLength(1);
    expect(ses[0]!.Action).toEqual(['kms:GenerateDataKey*', 'kms:Decrypt']);
    expect(ses[0]!.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
  });

  it('lets only SES publish, for this account and configuration set, and only over TLS', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: { StringEquals: Match.objectLike({ 'AWS:SourceAccount': { Ref: 'AWS::AccountId' } }) },
          }),
        ]),
      },
    });
    const [, policy] = resourceStartingWith(template, 'AWS::SNS::TopicPolicy', 'SesEventsTopicPolicy');
    expect(flatten(policy)).toMatch(/configuration-set\/",\{"Ref":"RelayConfigurationSet/);
  });

  it('delivers the topic to the queue in SNS envelopes, and only the topic may send to it', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: { Ref: topicId },
      Protocol: 'sqs',
      Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] },
      RawMessageDelivery: false,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Principal: { Service: 'sns.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topicId } } },
          }),
        ]),
      },
    });
  });

  it('redrives the queue to its DLQ with the topology settings', () => {
    expect(queue.Properties).toMatchObject({
      VisibilityTimeout: SES_EVENTS_QUEUE.visibilityTimeoutSeconds,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: SES_EVENTS_QUEUE.maxReceiveCount },
      SqsManagedSseEnabled: true,
    });
    expect(dlq.Properties.MessageRetentionPeriod).toBe(SES_EVENTS_QUEUE.deadLetterRetentionDays * 86_400);
  });

  it('runs the ses-events function from the queue with partial batch responses', () => {
    const [fnId, fn] = resourceStartingWith(template, 'AWS::Lambda::Function', 'SesEventsFunction');
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: FUNCTIONS.sesEvents.memoryMb,
      Timeout: FUNCTIONS.sesEvents.timeoutSeconds,
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: fnId },
      BatchSize: EVENT_SOURCES.sesEvents.batchSize,
      MaximumBatchingWindowInSeconds: EVENT_SOURCES.sesEvents.maxBatchingWindowSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('lets the function write messages, events, suppressions and soft bounces, and nothing else', () => {
    const statements = roleStatements(template, 'SesEventsFunction');
    const writable = resourcesFor(statements, 'dynamodb:PutItem').map((r) => referencedId(r).replace(/[0-9A-F]{8}$/, ''));
    expect(writable.sort()).toEqual(['TablesEvents', 'TablesMessages', 'TablesSoftBounces', 'TablesSuppressions']);
    for (const action of ['sns:Publish', 'sqs:SendMessage', 'ses:SendEmail', 'kms:Decrypt', 'secretsmanager:GetSecretValue']) {
      expect(resourcesFor(statements, action), action).toEqual([]);
    }
    // The event source mapping consumes the queue with the function's role.
    expect(resourcesFor(statements, 'sqs:ReceiveMessage')).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }]);
  });

  it('gives no other function the soft-bounce history', () => {
    for (const id of ['ApiFunction', 'StreamFunction']) {
      expect(flatten(roleStatements(template, id))).not.toContain('TablesSoftBounces');
    }
  });
});

describe('SES events (relay ses, existing configuration set)', () => {
  const { template } = buildStack({ relay: { kind: 'ses', configurationSetName: 'transactional' } });

  it('adds the event destination to the given configuration set', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: 'transactional',
      EventDestination: Match.objectLike({ MatchingEventTypes: Match.arrayEquals(ALL_EVENT_TYPES) }),
    });
    const [, policy] = resourceStartingWith(template, 'AWS::SNS::TopicPolicy', 'SesEventsTopicPolicy');
    expect(flatten(policy)).toContain(':configuration-set/transactional"');
  });
});

describe('SES events (relay smtp)', () => {
  const { template } = buildStack({ relay: { kind: 'smtp' } });

  it('creates none of it: no event destination, topic, queue or function', () => {
    template.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 0);
    const ids = Object.keys(template.toJSON().Resources as Record<string, unknown>);
    expect(ids.filter((id) => id.startsWith('SesEvents'))).toEqual([]);
  });
});
