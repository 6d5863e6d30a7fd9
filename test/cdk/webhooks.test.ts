/** The webhook queue, its DLQ, the webhook function and its event source, the webhooks table, and who may use them. */
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lib/env.ts';
import { EVENT_SOURCES, FUNCTIONS, TABLES, WEBHOOK_QUEUE } from '../../lib/topology.ts';
import { buildStack, removeSynthOutput } from './stack-fixture.ts';
import {
  flatten,
  functionEnvironment,
  referencedId,
  resourceStartingWith,
  resourcesFor,
  roleStatements,
  type Resource,
} from './template-queries.ts';

afterAll(removeSynthOutput);

describe('webhooks', () => {
  const { template } = buildStack();
  const [queueId, queue] = resourceStartingWith(template, 'AWS::SQS::Queue', 'WebhooksQueue');
  const [dlqId, dlq] = resourceStartingWith(template, 'AWS::SQS::Queue', 'WebhooksDeadLetterQueue');
  const [tableId, table] = resourceStartingWith(template, 'AWS::DynamoDB::GlobalTable', 'TablesWebhooks');
  const webhook = roleStatements(template, 'WebhookFunction');
  const stream = roleStatements(template, 'StreamFunction');
  const api = roleStatements(template, 'ApiFunction');
  const names = (ids: unknown[]) => [...new Set(ids.map((r) => referencedId(r).replace(/[0-9A-F]{8}$/, '')))].sort();

  it('queue redrives to its DLQ after the topology receive count, encrypted, with six function timeouts of visibility', () => {
    expect(queue.Properties).toMatchObject({
      VisibilityTimeout: WEBHOOK_QUEUE.visibilityTimeoutSeconds,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: WEBHOOK_QUEUE.maxReceiveCount },
      SqsManagedSseEnabled: true,
    });
    expect(WEBHOOK_QUEUE.visibilityTimeoutSeconds).toBe(6 * FUNCTIONS.webhook.timeoutSeconds);
    expect(dlq.Properties).toMatchObject({
      MessageRetentionPeriod: WEBHOOK_QUEUE.deadLetterRetentionDays * 86_400,
      SqsManagedSseEnabled: true,
    });
    for (const id of [queueId, dlqId]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    }
  });

  it('drives the webhook function ten tries at a time, with partial batch responses and a concurrency cap', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: Match.stringLikeRegexp('^WebhookFunction') },
      BatchSize: EVENT_SOURCES.webhook.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: EVENT_SOURCES.webhook.maxConcurrency },
    });
  });

  it('has the function of the topology, which knows the queue, the table and the topic', () => {
    const [, fn] = resourceStartingWith(template, 'AWS::Lambda::Function', 'WebhookFunction');
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: FUNCTIONS.webhook.memoryMb,
      Timeout: FUNCTIONS.webhook.timeoutSeconds,
    });
    for (const id of ['WebhookFunction', 'StreamFunction']) {
      const env = functionEnvironment(template, id);
      expect(env[ENV.webhookQueueUrl]).toEqual({ Ref: queueId });
      expect(env[ENV.webhooksTable]).toEqual({ Ref: tableId });
    }
    expect(functionEnvironment(template, 'WebhookFunction')[ENV.domainKeySecretArn]).toBeDefined();
  });

  it('has a table with the topology keys and TTL, kept when the stack goes', () => {
    expect(table.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: TABLES.webhooks.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: TABLES.webhooks.sortKey.name, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect((table as Resource & { DeletionPolicy?: string }).DeletionPolicy).toBe('Retain');
  });

  it('lets the webhook function use its table, queue retries, consume the queue, publish notices and read the domain key, and nothing more', () => {
    expect(names(resourcesFor(webhook, 'dynamodb:UpdateItem'))).toEqual(['TablesWebhooks']);
    expect(names(resourcesFor(webhook, 'dynamodb:GetItem'))).toEqual(['TablesWebhooks']);
    expect(names(resourcesFor(webhook, 'sqs:SendMessage'))).toEqual(['WebhooksQueue']);
    expect(names(resourcesFor(webhook, 'sqs:ChangeMessageVisibility'))).toEqual(['WebhooksQueue']);
    expect(names(resourcesFor(webhook, 'sqs:DeleteMessage'))).toEqual(['WebhooksQueue']);
    expect(names(resourcesFor(webhook, 'sns:Publish'))).toEqual(['NotificationsTopic']);
    expect(flatten(resourcesFor(webhook, 'secretsmanager:GetSecretValue'))).toContain('TenantSecretsDomainKeySecret');
    const actions = new Set(webhook.flatMap((s) => s.actions.map((a) => a.split(':')[0])));
    // kms: the topic's key; logs: its log group; xray: active tracing.
    expect([...actions].sort()).toEqual(['dynamodb', 'kms', 'logs', 'secretsmanager', 'sns', 'sqs', 'xray']);
    expect(flatten(webhook)).not.toMatch(/Tables(Messages|Events|Tenants|ApiKeys)/);
  });

  it('lets the stream function read endpoints and queue first tries, not change endpoints', () => {
    expect(names(resourcesFor(stream, 'dynamodb:Query'))).toContain('TablesWebhooks');
    expect(names(resourcesFor(stream, 'dynamodb:PutItem'))).not.toContain('TablesWebhooks');
    expect(names(resourcesFor(stream, 'sqs:SendMessage'))).toEqual(['StreamFailures', 'WebhooksQueue']);
  });

  it('passes the ports and the endpoint limit of the context to every function, and neither when unset', () => {
    const configured = buildStack({ webhookPorts: [443, 8443], webhookMaxEndpoints: 25 }).template;
    for (const id of ['ApiFunction', 'WebhookFunction']) {
      expect(functionEnvironment(configured, id)).toMatchObject({ [ENV.webhookPorts]: '443,8443', [ENV.webhookMaxEndpoints]: '25' });
      expect(functionEnvironment(template, id)).not.toHaveProperty(ENV.webhookPorts);
      expect(functionEnvironment(template, id)).not.toHaveProperty(ENV.webhookMaxEndpoints);
    }
  });

  it('lets the api function keep endpoints and the log, not touch the queue', () => {
    expect(names(resourcesFor(api, 'dynamodb:PutItem'))).toContain('TablesWebhooks');
    expect(flatten(resourcesFor(api, 'sqs:SendMessage'))).not.toContain(queueId);
  });
});
