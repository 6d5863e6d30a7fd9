import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lib/env.ts';
import { EVENT_SOURCES, FUNCTIONS, IMPORT_QUEUE, IMPORT_RETENTION_DAYS } from '../../lib/topology.ts';
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

describe('contact imports', () => {
  const { template } = buildStack();
  const [bucketId, bucket] = resourceStartingWith(template, 'AWS::S3::Bucket', 'ImportsBucket');
  const [logsId] = resourceStartingWith(template, 'AWS::S3::Bucket', 'ExportsAccessLogs');
  const [queueId, queue] = resourceStartingWith(template, 'AWS::SQS::Queue', 'ImportsQueue');
  const [dlqId, dlq] = resourceStartingWith(template, 'AWS::SQS::Queue', 'ImportsDeadLetterQueue');
  const importer = roleStatements(template, 'ImportFunction');
  const api = roleStatements(template, 'ApiFunction');
  const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] };
  const names = (ids: unknown[]) => ids.map((r) => referencedId(r).replace(/[0-9A-F]{8}$/, '')).sort();

  describe('bucket', () => {
    it('is private, encrypted, TLS only, and logs access to the exports log bucket under imports/', () => {
      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'imports/' },
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
      // Log delivery for this bucket through the log bucket's policy, not an ACL.
      const [, logPolicy] = resourceStartingWith(template, 'AWS::S3::BucketPolicy', 'ExportsAccessLogsPolicy');
      expect(flatten(logPolicy.Properties.PolicyDocument)).toContain('/imports/*');
      expect(flatten(logPolicy.Properties.PolicyDocument)).toContain(bucketId);
    });

    it('keeps no body longer than its job and cleans up unfinished uploads', () => {
      expect(bucket.Properties.LifecycleConfiguration).toEqual({
        Rules: [{ ExpirationInDays: IMPORT_RETENTION_DAYS, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }],
      });
    });
  });

  describe('queue', () => {
    it('redrives to its DLQ after the topology receive count, with a visibility timeout of six import timeouts', () => {
      expect(queue.Properties).toMatchObject({
        VisibilityTimeout: IMPORT_QUEUE.visibilityTimeoutSeconds,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: IMPORT_QUEUE.maxReceiveCount },
        SqsManagedSseEnabled: true,
      });
      expect(IMPORT_QUEUE.visibilityTimeoutSeconds).toBe(6 * FUNCTIONS.import.timeoutSeconds);
      expect(dlq.Properties).toMatchObject({
        MessageRetentionPeriod: IMPORT_QUEUE.deadLetterRetentionDays * 86_400,
        SqsManagedSseEnabled: true,
      });
    });

    it('drives the import function one job at a time with partial batch responses', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        FunctionName: { Ref: Match.stringLikeRegexp('^ImportFunction') },
        BatchSize: EVENT_SOURCES.import.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: EVENT_SOURCES.import.maxConcurrency },
      });
    });
  });

  describe('import function', () => {
    it('has the timeout and memory of the topology, and knows the queue, the bucket and the imports table', () => {
      const [, fn] = resourceStartingWith(template, 'AWS::Lambda::Function', 'ImportFunction');
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: FUNCTIONS.import.memoryMb,
        Timeout: FUNCTIONS.import.timeoutSeconds,
      });
      for (const id of ['ImportFunction', 'ApiFunction']) {
        const env = functionEnvironment(template, id);
        expect(env[ENV.importQueueUrl]).toEqual({ Ref: queueId });
        expect(env[ENV.importBucket]).toEqual({ Ref: bucketId });
        expect(env[ENV.importsTable]).toEqual({ Ref: expect.stringMatching(/^TablesImports/) });
      }
    });

    it('writes contacts and import jobs, reads lists and unsubscribes, and nothing else', () => {
      expect(names(resourcesFor(importer, 'dynamodb:PutItem'))).toEqual(['TablesContacts', 'TablesImports']);
      expect(names(resourcesFor(importer, 'dynamodb:GetItem'))).toEqual([
        'TablesContacts',
        'TablesImports',
        'TablesLists',
        'TablesUnsubscribes',
      ]);
      expect(flatten(importer)).not.toContain('/index/');
    });

    it('reads and removes import bodies, never writes them; queues only its own continuations', () => {
      expect(resourcesFor(importer, 's3:GetObject')).toEqual([objects]);
      expect(resourcesFor(importer, 's3:DeleteObject')).toEqual([objects]);
      expect(resourcesFor(importer, 's3:ListBucket')).toEqual([{ 'Fn::GetAtt': [bucketId, 'Arn'] }]);
      expect(resourcesFor(importer, 's3:PutObject')).toEqual([]);
      expect(names(resourcesFor(importer, 'sqs:SendMessage'))).toEqual(['ImportsQueue']);
    });

    it('lets the api function store bodies and queue jobs, not read or remove bodies', () => {
      // Its other writes are attachments, in a bucket of their own (test/cdk/attachments.test.ts).
      const writes = resourcesFor(api, 's3:PutObject');
      expect(writes).toContainEqual(objects);
      expect(writes.filter((resource) => flatten(resource).includes(`"${bucketId}"`))).toEqual([objects]);
      expect(resourcesFor(api, 's3:GetObject')).not.toContainEqual(objects);
      expect(resourcesFor(api, 's3:DeleteObject')).toEqual([]);
      expect(flatten(resourcesFor(api, 'sqs:SendMessage'))).toContain(queueId);
    });

    it('gives no other role access to the bucket', () => {
      const policies = {
        ...(template.findResources('AWS::IAM::Policy') as Record<string, Resource>),
        ...(template.findResources('AWS::IAM::ManagedPolicy') as Record<string, Resource>),
      };
      const granting = Object.entries(policies)
        .filter(([, policy]) => flatten(policy.Properties.PolicyDocument).includes(`"${bucketId}"`))
        .map(([id]) => id.replace(/RoleDefaultPolicy.*|RoleOverflowPolicy.*/, ''));
      expect([...new Set(granting)].sort()).toEqual(['ApiFunction', 'ImportFunction']);
    });
  });
});
