import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lib/env.ts';
import { EVENT_SOURCES, EXPORT_QUEUE, EXPORT_RETENTION_DAYS, FUNCTIONS } from '../../lib/topology.ts';
import { buildStack, removeSynthOutput } from './stack-fixture.ts';
import { flatten, functionEnvironment, referencedId, resourceStartingWith, resourcesFor, roleStatements } from './template-queries.ts';

afterAll(removeSynthOutput);

describe('exports', () => {
  const { template } = buildStack();
  const [bucketId, bucket] = resourceStartingWith(template, 'AWS::S3::Bucket', 'ExportsBucket');
  const [logsId] = resourceStartingWith(template, 'AWS::S3::Bucket', 'ExportsAccessLogs');
  const [queueId, queue] = resourceStartingWith(template, 'AWS::SQS::Queue', 'ExportsQueue');
  const [dlqId, dlq] = resourceStartingWith(template, 'AWS::SQS::Queue', 'ExportsDeadLetterQueue');
  const exporter = roleStatements(template, 'ExportFunction');
  const api = roleStatements(template, 'ApiFunction');
  const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] };
  const names = (ids: unknown[]) => ids.map((r) => referencedId(r).replace(/[0-9A-F]{8}$/, '')).sort();

  describe('bucket', () => {
    it('is private, encrypted, TLS only, and logs access to its own log bucket', () => {
      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'exports/' },
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
      // Log delivery through a bucket policy, not an ACL.
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logsId },
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' })]),
        },
      });
    });

    it('expires exports with their job records and cleans up unfinished uploads', () => {
      expect(bucket.Properties.LifecycleConfiguration).toEqual({
        Rules: [{ ExpirationInDays: EXPORT_RETENTION_DAYS, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }],
      });
    });
  });

  describe('queue', () => {
    it('redrives to its DLQ after the topology receive count, with a visibility timeout of six export timeouts', () => {
      expect(queue.Properties).toMatchObject({
        VisibilityTimeout: EXPORT_QUEUE.visibilityTimeoutSeconds,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: EXPORT_QUEUE.maxReceiveCount },
        SqsManagedSseEnabled: true,
      });
      expect(EXPORT_QUEUE.visibilityTimeoutSeconds).toBe(6 * FUNCTIONS.export.timeoutSeconds);
      expect(dlq.Properties).toMatchObject({
        MessageRetentionPeriod: EXPORT_QUEUE.deadLetterRetentionDays * 86_400,
        SqsManagedSseEnabled: true,
      });
    });

    it('drives the export function one job at a time with partial batch responses', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        FunctionName: { Ref: Match.stringLikeRegexp('^ExportFunction') },
        BatchSize: EVENT_SOURCES.export.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: EVENT_SOURCES.export.maxConcurrency },
      });
    });
  });

  describe('export function', () => {
    it('has the long timeout and memory of the topology, and knows the queue and bucket', () => {
      const [, fn] = resourceStartingWith(template, 'AWS::Lambda::Function', 'ExportFunction');
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 1024, Timeout: 900 });
      for (const id of ['ExportFunction', 'ApiFunction']) {
        const env = functionEnvironment(template, id);
        expect(env[ENV.exportQueueUrl]).toEqual({ Ref: queueId });
        expect(env[ENV.exportBucket]).toEqual({ Ref: bucketId });
        expect(env[ENV.exportsTable]).toEqual({ Ref: expect.stringMatching(/^TablesExports/) });
      }
    });

    it('reads messages (and their index) and events, writes only export jobs and export files', () => {
      expect(names(resourcesFor(exporter, 'dynamodb:Query').filter((r) => !flatten(r).includes('/index/')))).toEqual([
        'TablesEvents',
        'TablesExports',
        'TablesMessages',
      ]);
      expect(flatten(resourcesFor(exporter, 'dynamodb:Query'))).toContain('/index/byTenant');
      expect(names(resourcesFor(exporter, 'dynamodb:PutItem'))).toEqual(['TablesExports']);
      expect(resourcesFor(exporter, 's3:PutObject')).toEqual([objects]);
      expect(resourcesFor(exporter, 's3:AbortMultipartUpload')).toEqual([objects]);
      expect(resourcesFor(exporter, 's3:GetObject')).toEqual([]);
      expect(resourcesFor(exporter, 'sqs:SendMessage')).toEqual([]);
    });

    it('lets the api function presign downloads and queue jobs, not write files', () => {
      expect(resourcesFor(api, 's3:GetObject')).toEqual([objects]);
      // Its writes are contact import bodies and attachments, in buckets of their own.
      expect(resourcesFor(api, 's3:PutObject')).not.toContainEqual(objects);
      expect(flatten(resourcesFor(api, 's3:PutObject'))).not.toContain(bucketId);
      expect(flatten(resourcesFor(api, 'sqs:SendMessage'))).toContain(queueId);
    });
  });
});
