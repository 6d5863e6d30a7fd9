import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lib/env.ts';
import { EVENT_SOURCES, FUNCTIONS, SEND_QUEUE, TABLES, TABLE_ENV, type KeyDef, type TableDef, type TableName } from '../../lib/topology.ts';
import { DEFAULT_API_THROTTLE, DEFAULT_PUBLIC_LINKS_THROTTLE, DEFAULT_TRACK_RESERVED_CONCURRENCY } from '../../cdk/context.ts';
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

const FUNCTION_IDS = { api: 'ApiFunction', deliver: 'DeliverFunction', stream: 'StreamFunction' } as const;

const keySchema = (partitionKey: KeyDef, sortKey?: KeyDef) => [
  { AttributeName: partitionKey.name, KeyType: 'HASH' },
  ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' }] : []),
];

describe('MailroomStack with its front limits set', () => {
  const { template } = buildStack({
    apiThrottle: { rateLimit: 400, burstLimit: 800 },
    publicLinksThrottle: { rateLimit: 5, burstLimit: 10 },
    trackReservedConcurrency: false,
  });

  it('throttles the API and each link route as told, and reserves nothing for track', () => {
    const [, stage] = resourceStartingWith(template, 'AWS::ApiGatewayV2::Stage', 'HttpApiDefaultStage');
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 400, ThrottlingBurstLimit: 800 });
    expect((stage.Properties.RouteSettings as Record<string, unknown>)['GET /t/{proxy+}']).toEqual({
      ThrottlingRateLimit: 5,
      ThrottlingBurstLimit: 10,
    });
    const [, track] = resourceStartingWith(template, 'AWS::Lambda::Function', 'TrackFunction');
    expect(track.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });
});

describe('MailroomStack', () => {
  const { template } = buildStack({ deliverMaxConcurrency: 25 });

  describe('tables', () => {
    const tables = template.findResources('AWS::DynamoDB::GlobalTable') as Record<string, Resource>;
    const env = functionEnvironment(template, FUNCTION_IDS.api);

    it('keeps only the keys in the messages indexes, everything in the others', () => {
      const projectionOf = (name: TableName) =>
        (
          (tables[referencedId(env[TABLE_ENV[name]])]!.Properties.GlobalSecondaryIndexes ?? []) as {
            IndexName: string;
            Projection: unknown;
          }[]
        ).map((i) => [i.IndexName, i.Projection]);
      expect(projectionOf('messages')).toEqual([
        ['byTenant', { ProjectionType: 'KEYS_ONLY' }],
        ['byStatus', { ProjectionType: 'KEYS_ONLY' }],
      ]);
      expect(projectionOf('feed')).toEqual([]);
      expect(projectionOf('apiKeys')).toEqual([['byTenant', { ProjectionType: 'ALL' }]]);
      expect(projectionOf('smtpCredentials')).toEqual([['byTenant', { ProjectionType: 'ALL' }]]);
    });

    it('creates one table per topology entry', () => {
      expect(Object.keys(tables)).toHaveLength(Object.keys(TABLES).length);
    });

    describe.each(Object.entries(TABLES) as [TableName, TableDef][])('%s', (name, def) => {
      // The function's variable names the table: this also checks the wiring.
      const table = tables[referencedId(env[TABLE_ENV[name]])]!;
      const props = table.Properties;

      it('has the topology keys and indexes', () => {
        expect(props.KeySchema).toEqual(keySchema(def.partitionKey, def.sortKey));
        const indexes = (props.GlobalSecondaryIndexes ?? []) as { IndexName: string; KeySchema: unknown }[];
        expect(indexes.map((i) => ({ name: i.IndexName, keys: i.KeySchema }))).toEqual(
          (def.indexes ?? []).map((i) => ({ name: i.name, keys: keySchema(i.partitionKey, i.sortKey) })),
        );
      });

      it('projects each index as the topology says (ALL unless named)', () => {
        const indexes = (props.GlobalSecondaryIndexes ?? []) as { Projection: unknown }[];
        expect(indexes.map((i) => i.Projection)).toEqual(
          (def.indexes ?? []).map(({ projection = { type: 'ALL' } }) =>
            projection.type === 'INCLUDE'
              ? { ProjectionType: 'INCLUDE', NonKeyAttributes: projection.attributes }
              : { ProjectionType: projection.type },
          ),
        );
      });

      it('is on-demand, encrypted with the AWS managed key, with point-in-time recovery, retained', () => {
        expect(props.BillingMode).toBe('PAY_PER_REQUEST');
        // SSEType KMS without a key id is the AWS managed key (aws/dynamodb).
        expect(props.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
        expect(props.Replicas).toEqual([
          expect.objectContaining({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
        ]);
        expect(table.DeletionPolicy).toBe('Retain');
      });

      it('has the topology TTL and stream', () => {
        expect(props.TimeToLiveSpecification).toEqual(def.ttlAttribute ? { AttributeName: def.ttlAttribute, Enabled: true } : undefined);
        expect(props.StreamSpecification).toEqual(def.stream ? { StreamViewType: def.stream } : undefined);
      });
    });

    it('streams new images of events', () => {
      const events = tables[referencedId(env[ENV.eventsTable])]!;
      expect(events.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    });
  });

  describe('send queue', () => {
    it('redrives to the DLQ after maxReceiveCount receives, with the topology visibility timeout', () => {
      const [, queue] = resourceStartingWith(template, 'AWS::SQS::Queue', 'SendQueue4');
      const [dlqId, dlq] = resourceStartingWith(template, 'AWS::SQS::Queue', 'SendQueueDeadLetterQueue');
      expect(queue.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        maxReceiveCount: SEND_QUEUE.maxReceiveCount,
      });
      expect(queue.Properties.VisibilityTimeout).toBe(SEND_QUEUE.visibilityTimeoutSeconds);
      expect(dlq.Properties.MessageRetentionPeriod).toBe(SEND_QUEUE.deadLetterRetentionDays * 86_400);
    });

    it('encrypts every queue and refuses requests without TLS', () => {
      const queues = template.findResources('AWS::SQS::Queue') as Record<string, Resource>;
      // Send queue, bulk send queue and their DLQ, stream failures, SES events queue and DLQ
      // (relay ses), exports queue and DLQ, campaigns queue and DLQ, imports queue and DLQ,
      // webhooks queue and DLQ.
      expect(Object.keys(queues)).toHaveLength(14);
      for (const queue of Object.values(queues)) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      template.resourceCountIs('AWS::SQS::QueuePolicy', 14);
      template.allResourcesProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    });
  });

  describe('functions', () => {
    it.each(Object.entries(FUNCTION_IDS) as [keyof typeof FUNCTIONS, string][])(
      '%s runs Node.js 22 on arm64 with the topology memory and timeout, ESM handler',
      (name, id) => {
        const [, fn] = resourceStartingWith(template, 'AWS::Lambda::Function', id);
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          MemorySize: FUNCTIONS[name].memoryMb,
          Timeout: FUNCTIONS[name].timeoutSeconds,
          Handler: 'index.handler',
          LoggingConfig: { LogGroup: { Ref: expect.stringMatching(new RegExp(`^${id}Logs`)) } },
        });
      },
    );

    it('gives every function the table names, queue URLs, topic ARN, relay and receive count', () => {
      for (const id of Object.values(FUNCTION_IDS)) {
        const env = functionEnvironment(template, id);
        for (const name of Object.values(TABLE_ENV)) expect(env[name]).toEqual({ Ref: expect.stringMatching(/^Tables/) });
        expect(env[ENV.sendQueueUrl]).toEqual({ Ref: expect.stringMatching(/^SendQueue4/) });
        expect(env[ENV.deadLetterQueueUrl]).toEqual({ Ref: expect.stringMatching(/^SendQueueDeadLetterQueue/) });
        expect(env[ENV.topicArn]).toEqual({ Ref: expect.stringMatching(/^NotificationsTopic/) });
        expect(env[ENV.relay]).toBe('ses');
        expect(env[ENV.maxReceiveCount]).toBe(String(SEND_QUEUE.maxReceiveCount));
      }
    });

    it('uses its own roles, without managed policies', () => {
      // api, deliver, stream, ses-events (relay ses), export, campaign, import, track and webhook;
      // and the role of the scheduled sends' schedules (scheduled-sends.test.ts).
      template.resourceCountIs('AWS::IAM::Role', 10);
      template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
      // Where a role's grants outgrow IAM's inline limit, the CDK adds its own customer-managed
      // overflow policy, attached to that role only; no AWS-managed policy is ever attached.
      for (const policy of Object.values(template.findResources('AWS::IAM::ManagedPolicy') as Record<string, Resource>)) {
        expect(policy.Properties.Roles).toHaveLength(1);
      }
    });

    it('keeps logs for a bounded time', () => {
      template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
    });
  });

  describe('event sources', () => {
    it('drives deliver from the send queue with partial batch responses and the given maximum concurrency', () => {
      const [sendQueueId] = resourceStartingWith(template, 'AWS::SQS::Queue', 'SendQueue4');
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [sendQueueId, 'Arn'] },
        FunctionName: { Ref: Match.stringLikeRegexp(`^${FUNCTION_IDS.deliver}`) },
        BatchSize: EVENT_SOURCES.deliver.batchSize,
        MaximumBatchingWindowInSeconds: EVENT_SOURCES.deliver.maxBatchingWindowSeconds,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 25 },
      });
    });

    it('drives stream from the events stream, retrying, bisecting, and parking failures on a queue', () => {
      const [failuresId] = resourceStartingWith(template, 'AWS::SQS::Queue', 'StreamFailures');
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TablesEvents'), 'StreamArn'] },
        FunctionName: { Ref: Match.stringLikeRegexp(`^${FUNCTION_IDS.stream}`) },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: EVENT_SOURCES.stream.batchSize,
        MaximumBatchingWindowInSeconds: EVENT_SOURCES.stream.maxBatchingWindowSeconds,
        MaximumRetryAttempts: EVENT_SOURCES.stream.retryAttempts,
        ParallelizationFactor: 1,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failuresId, 'Arn'] } } },
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
      });
    });

    it('drives stream from the messages stream too, passing on only writes of message items that hold no lease', () => {
      const [failuresId] = resourceStartingWith(template, 'AWS::SQS::Queue', 'StreamFailures');
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        GlobalSecondaryIndexes: Match.arrayWith([Match.objectLike({ IndexName: 'byStatus' })]),
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      });
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TablesMessages'), 'StreamArn'] },
        FunctionName: { Ref: Match.stringLikeRegexp(`^${FUNCTION_IDS.stream}`) },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: EVENT_SOURCES.stream.batchSize,
        ParallelizationFactor: 1,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failuresId, 'Arn'] } } },
        FilterCriteria: {
          Filters: [
            {
              Pattern: JSON.stringify({
                eventName: ['INSERT', 'MODIFY'],
                dynamodb: { Keys: { sk: { S: ['#'] } }, NewImage: { leaseUntil: { N: [{ exists: false }] } } },
              }),
            },
          ],
        },
      });
    });
  });

  describe('permissions', () => {
    const api = roleStatements(template, FUNCTION_IDS.api);
    const deliver = roleStatements(template, FUNCTION_IDS.deliver);
    const stream = roleStatements(template, FUNCTION_IDS.stream);
    const tablesWritable = (statements: typeof api) =>
      resourcesFor(statements, 'dynamodb:PutItem').map((r) => referencedId(r).replace(/[0-9A-F]{8}$/, ''));
    const tablesReadable = (statements: typeof api) =>
      resourcesFor(statements, 'dynamodb:GetItem').map((r) => referencedId(r).replace(/[0-9A-F]{8}$/, ''));

    it('lets api write messages, feed entries, events, suppressions, idempotency keys, lists, imports, campaigns, templates, tenants, keys, domains, uploads and webhooks and read reports', () => {
      expect(tablesWritable(api).sort()).toEqual([
        'TablesApiKeys',
        'TablesCampaigns',
        'TablesContacts',
        'TablesDomains',
        'TablesEvents',
        'TablesExports',
        'TablesFeed',
        'TablesIdempotency',
        'TablesImports',
        'TablesLists',
        'TablesMessages',
        'TablesRateLimits',
        'TablesSmtpCredentials',
        'TablesSuppressions',
        'TablesTemplates',
        'TablesTenants',
        'TablesUploads',
        'TablesWebhooks',
      ]);
      expect(tablesReadable(api).sort()).toEqual([
        'TablesApiKeys',
        'TablesCampaigns',
        'TablesContacts',
        'TablesDomains',
        'TablesEvents',
        'TablesExports',
        'TablesFeed',
        'TablesIdempotency',
        'TablesImports',
        'TablesLists',
        'TablesMessages',
        'TablesRateLimits',
        'TablesReports',
        'TablesSmtpCredentials',
        'TablesSuppressions',
        'TablesTemplates',
        'TablesTenants',
        'TablesUnsubscribes',
        'TablesUploads',
        'TablesWebhooks',
      ]);
      // The send queue, the exports queue (export jobs), the campaigns queue (fan-out, list
      // clean-up) and the imports queue (large contact imports).
      expect(
        resourcesFor(api, 'sqs:SendMessage')
          .map((r) => referencedId(r).replace(/[0-9A-F]{8}$/, ''))
          .sort(),
      ).toEqual(['CampaignsQueue', 'ExportsQueue', 'ImportsQueue', 'SendQueue']);
    });

    it('lets deliver write messages, events, suppressions, soft bounces and pacing counts and send to both queues and the DLQ', () => {
      expect(tablesWritable(deliver).sort()).toEqual([
        'TablesEvents',
        'TablesMessages',
        'TablesRateLimits',
        'TablesSoftBounces',
        'TablesSuppressions',
      ]);
      const targets = resourcesFor(deliver, 'sqs:SendMessage').map(referencedId);
      expect(targets.map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
        'SendQueue',
        'SendQueueBulkQueue',
        'SendQueueDeadLetterQueue',
      ]);
    });

    it('drives deliver from the transactional and the bulk queue alike', () => {
      const queueIds = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) => /^SendQueue(BulkQueue)?[0-9A-F]{8}$/.test(id));
      expect(queueIds).toHaveLength(2);
      for (const queueId of queueIds) {
        template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          FunctionName: { Ref: Match.stringLikeRegexp('^DeliverFunction') },
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        });
      }
    });

    it('lets stream write reports (and pause tenants), publish to the topic and read the events stream', () => {
      expect(tablesWritable(stream)).toEqual(['TablesReports', 'TablesTenants']);
      expect(resourcesFor(stream, 'sns:Publish')).toEqual([{ Ref: expect.stringMatching(/^NotificationsTopic/) }]);
      expect(resourcesFor(stream, 'kms:GenerateDataKey')).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^NotificationsKey/), 'Arn'] }]);
      expect(resourcesFor(stream, 'dynamodb:GetRecords')).toContainEqual({
        'Fn::GetAtt': [expect.stringMatching(/^TablesEvents/), 'StreamArn'],
      });
    });

    it('lets the functions that create messages write the feed table, and only api read it and the byStatus index', () => {
      const campaign = roleStatements(template, 'CampaignFunction');
      expect(tablesWritable(campaign)).toContain('TablesFeed');
      expect(tablesReadable(campaign)).not.toContain('TablesFeed');
      expect(flatten(resourcesFor(campaign, 'dynamodb:Query'))).not.toContain('TablesFeed');
      for (const statements of [deliver, stream]) {
        expect([...tablesWritable(statements), ...tablesReadable(statements)]).not.toContain('TablesFeed');
      }
      expect(flatten([api])).toContain('/index/byStatus');
    });

    it('keeps stored templates to api: sends and campaigns render or copy them there', () => {
      const others = ['DeliverFunction', 'StreamFunction', 'SesEventsFunction', 'ExportFunction', 'CampaignFunction', 'TrackFunction'];
      expect(flatten(api)).toContain('TablesTemplates');
      for (const id of others) expect(flatten(roleStatements(template, id))).not.toContain('TablesTemplates');
    });

    it('names indexes instead of granting index/*', () => {
      const everything = flatten([api, deliver, stream]);
      expect(everything).toContain('/index/byTenant');
      expect(everything).not.toContain('/index/*');
    });

    it('keeps relay permissions to deliver', () => {
      for (const statements of [api, stream]) {
        expect(resourcesFor(statements, 'ses:SendEmail')).toEqual([]);
      }
      // The api reads the link-signing key and the domain key, and no other secret; stream reads none.
      expect(
        resourcesFor(api, 'secretsmanager:GetSecretValue')
          .map((r) => referencedId(r))
          .sort(),
      ).toEqual([expect.stringMatching(/^CampaignsLinkSecret/), expect.stringMatching(/^TenantSecretsDomainKeySecret/)]);
      expect(resourcesFor(stream, 'secretsmanager:GetSecretValue')).toEqual([]);
    });
  });

  describe('notifications', () => {
    it('encrypts the topic with a rotated KMS key and refuses publishing without TLS', () => {
      const [keyId] = resourceStartingWith(template, 'AWS::KMS::Key', 'NotificationsKey');
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    });
  });

  describe('HTTP API', () => {
    it('routes ANY /v1/{proxy+} to the api function', () => {
      const [integrationId] = resourceStartingWith(template, 'AWS::ApiGatewayV2::Integration', 'HttpApiANYv1');
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'ANY /v1/{proxy+}',
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] },
      });
      template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${FUNCTION_IDS.api}`), 'Arn'] },
      });
    });

    it('routes GET /console and GET /console/{proxy+} to the api function, which serves the web console from its bundle', () => {
      const [integrationId] = resourceStartingWith(template, 'AWS::ApiGatewayV2::Integration', 'HttpApiANYv1');
      for (const key of ['GET /console', 'GET /console/{proxy+}']) {
        template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
          RouteKey: key,
          Target: { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] },
        });
      }
      template.hasOutput('ConsoleUrl', { Value: { 'Fn::Join': ['', Match.arrayWith(['https://', Match.stringLikeRegexp('console/$')])] } });
    });

    it('puts no authorizer before the api function, which authenticates each route itself and serves GET /v1/openapi.json to anyone', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'ANY /v1/{proxy+}',
        AuthorizationType: 'NONE',
        AuthorizerId: Match.absent(),
      });
    });

    it('logs access to a log group and throttles the default stage', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApiAccessLogs'), 'Arn'] },
          Format: Match.stringLikeRegexp('\\$context\\.requestId'),
        },
        DefaultRouteSettings: {
          ThrottlingRateLimit: DEFAULT_API_THROTTLE.rateLimit,
          ThrottlingBurstLimit: DEFAULT_API_THROTTLE.burstLimit,
        },
      });
    });

    it('gives each public link route a throttle of its own, so link fetches never take the API’s', () => {
      const own = {
        ThrottlingRateLimit: DEFAULT_PUBLIC_LINKS_THROTTLE.rateLimit,
        ThrottlingBurstLimit: DEFAULT_PUBLIC_LINKS_THROTTLE.burstLimit,
      };
      const [stageId, stage] = resourceStartingWith(template, 'AWS::ApiGatewayV2::Stage', 'HttpApiDefaultStage');
      expect(stage.Properties.RouteSettings).toEqual({ 'GET /t/{proxy+}': own, 'GET /u/{proxy+}': own, 'POST /u/{proxy+}': own });
      // Every route key it names exists, and the stage is created after them (CloudFormation refuses settings of unknown routes).
      const routes = template.findResources('AWS::ApiGatewayV2::Route');
      const keys = Object.values(routes).map((route) => route.Properties.RouteKey);
      expect(keys).toEqual(expect.arrayContaining(Object.keys(stage.Properties.RouteSettings as object)));
      const linkRouteIds = Object.entries(routes)
        .filter(([, route]) => /\/(t|u)\//.test(route.Properties.RouteKey))
        .map(([id]) => id);
      expect(linkRouteIds).toHaveLength(3);
      expect(template.toJSON().Resources[stageId].DependsOn).toEqual(expect.arrayContaining(linkRouteIds));
    });

    it('reserves concurrency for the track function, which also caps it', () => {
      const [, track] = resourceStartingWith(template, 'AWS::Lambda::Function', 'TrackFunction');
      expect(track.Properties.ReservedConcurrentExecutions).toBe(DEFAULT_TRACK_RESERVED_CONCURRENCY);
      for (const [, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
        if (fn !== track) expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
      }
    });
  });

  it('outputs ApiUrl, TopicArn and the API keys table', () => {
    template.hasOutput('ApiUrl', { Value: { 'Fn::Join': ['', Match.arrayWith(['https://'])] } });
    template.hasOutput('TopicArn', { Value: { Ref: Match.stringLikeRegexp('^NotificationsTopic') } });
    template.hasOutput('ApiKeysTableName', { Value: { Ref: Match.stringLikeRegexp('^TablesApiKeys') } });
  });
});
