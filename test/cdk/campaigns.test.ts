import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lib/env.ts';
import { CAMPAIGN_QUEUE, EVENT_SOURCES, FUNCTIONS } from '../../lib/topology.ts';
import { buildStack, removeSynthOutput } from './stack-fixture.ts';
import { flatten, functionEnvironment, resourceStartingWith, resourcesFor, roleStatements } from './template-queries.ts';

afterAll(removeSynthOutput);

const tableRef = (name: string) => new RegExp(`"Tables${name}[0-9A-F]{8}"`);

describe('campaigns, lists and public links', () => {
  const { template } = buildStack({ publicUrl: 'https://mail.example.com', unsubscribeMailto: 'unsubscribe@example.com' });
  const [queueId, queue] = resourceStartingWith(template, 'AWS::SQS::Queue', 'CampaignsQueue');
  const [dlqId] = resourceStartingWith(template, 'AWS::SQS::Queue', 'CampaignsDeadLetterQueue');
  const [secretId, secret] = resourceStartingWith(template, 'AWS::SecretsManager::Secret', 'CampaignsLinkSecret');

  it('queues campaign work with a DLQ and drives the campaign function one job at a time', () => {
    expect(queue.Properties).toMatchObject({
      VisibilityTimeout: CAMPAIGN_QUEUE.visibilityTimeoutSeconds,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: CAMPAIGN_QUEUE.maxReceiveCount },
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: Match.stringLikeRegexp('^CampaignFunction') },
      BatchSize: EVENT_SOURCES.campaign.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: EVENT_SOURCES.campaign.maxConcurrency },
    });
    const [, fn] = resourceStartingWith(template, 'AWS::Lambda::Function', 'CampaignFunction');
    expect(fn.Properties).toMatchObject({ MemorySize: FUNCTIONS.campaign.memoryMb, Timeout: FUNCTIONS.campaign.timeoutSeconds });
  });

  it('keeps a generated link-signing key that outlives the stack', () => {
    expect(secret.Properties).toMatchObject({ GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } });
    expect(secret.DeletionPolicy).toBe('Retain');
  });

  it('gives every function the queue, the key and the configured link settings', () => {
    for (const id of ['ApiFunction', 'CampaignFunction', 'TrackFunction']) {
      const env = functionEnvironment(template, id);
      expect(env[ENV.campaignQueueUrl]).toEqual({ Ref: queueId });
      expect(env[ENV.linkSecretArn]).toEqual({ Ref: secretId });
      expect(env[ENV.publicUrl]).toBe('https://mail.example.com');
      expect(env[ENV.unsubscribeMailto]).toBe('unsubscribe@example.com');
    }
  });

  it('routes the public link paths, and only those, to the track function', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'))
      .map((r) => r.Properties.RouteKey)
      .sort();
    expect(routes).toEqual([
      'ANY /v1/{proxy+}',
      'GET /console',
      'GET /console/{proxy+}',
      'GET /t/{proxy+}',
      'GET /u/{proxy+}',
      'POST /u/{proxy+}',
    ]);
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    const trackIntegrations = Object.values(integrations).filter((i) => flatten(i.Properties.IntegrationUri).includes('TrackFunction'));
    expect(trackIntegrations).toHaveLength(1);
  });

  it('lets only the functions that need them read the key', () => {
    for (const id of ['ApiFunction', 'CampaignFunction', 'TrackFunction']) {
      expect(flatten(resourcesFor(roleStatements(template, id), 'secretsmanager:GetSecretValue'))).toContain(secretId);
    }
    for (const id of ['DeliverFunction', 'StreamFunction', 'ExportFunction']) {
      expect(flatten(resourcesFor(roleStatements(template, id), 'secretsmanager:GetSecretValue'))).not.toContain(secretId);
    }
  });

  it('grants the track function no more than its links need', () => {
    const track = roleStatements(template, 'TrackFunction');
    const writes = flatten(resourcesFor(track, 'dynamodb:PutItem'));
    expect(writes).toMatch(tableRef('Events'));
    expect(writes).toMatch(tableRef('Unsubscribes'));
    expect(writes).not.toMatch(tableRef('Messages'));
    expect(writes).not.toMatch(tableRef('Suppressions'));
    expect(flatten(resourcesFor(track, 'dynamodb:GetItem'))).toMatch(tableRef('Messages'));
    expect(flatten(track)).not.toContain('sqs:SendMessage');
  });

  it('lets deliver read unsubscribes but not change them', () => {
    const deliver = roleStatements(template, 'DeliverFunction');
    expect(flatten(resourcesFor(deliver, 'dynamodb:BatchGetItem'))).toMatch(tableRef('Unsubscribes'));
    expect(flatten(resourcesFor(deliver, 'dynamodb:PutItem'))).not.toMatch(tableRef('Unsubscribes'));
  });
});
