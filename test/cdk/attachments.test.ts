import { afterAll, describe, expect, it } from 'vitest';
import type { SmtpServiceSettings } from '../../cdk/context.ts';
import { ENV } from '../../lib/env.ts';
import { DEFAULT_RETENTION_DAYS, TABLES } from '../../lib/topology.ts';
import { buildStack, removeSynthOutput, type StackOptions } from './stack-fixture.ts';
import {
  functionEnvironment,
  referencedId,
  resourceStartingWith,
  roleStatements,
  type Resource,
  type Statement,
} from './template-queries.ts';

afterAll(removeSynthOutput);

const SMTP: SmtpServiceSettings = {
  certificateSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tls-AbC123',
  hostname: 'smtp.example.com',
  desiredCount: 1,
  cpu: 256,
  memoryMiB: 512,
  allowedCidrs: ['0.0.0.0/0'],
};

/** Every statement of a function's role (its default and overflow policies) that names the bucket, with its actions and any condition. */
function bucketStatements(template: ReturnType<typeof buildStack>['template'], functionId: string, bucketId: string) {
  const policies = [
    ...Object.entries(template.findResources('AWS::IAM::Policy') as Record<string, Resource>),
    ...Object.entries(template.findResources('AWS::IAM::ManagedPolicy') as Record<string, Resource>),
  ].filter(([id]) => id.startsWith(`${functionId}RoleDefaultPolicy`) || id.startsWith(`${functionId}RoleOverflowPolicy`));
  return policies
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement)
    .filter((s) => JSON.stringify(s.Resource).includes(bucketId))
    .map((s) => ({
      actions: [s.Action].flat().sort(),
      resource: JSON.stringify(s.Resource),
      ...(s.Condition !== undefined && { condition: s.Condition }),
    }));
}

interface PolicyStatement {
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

const objectsUnder = (bucketId: string, prefix: string) =>
  JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${prefix}*`]] });
const bucketArn = (bucketId: string) => JSON.stringify({ 'Fn::GetAtt': [bucketId, 'Arn'] });

describe.each<[string, StackOptions]>([
  ['without the SMTP service', {}],
  ['with the SMTP service', { smtpService: SMTP }],
])('attachments %s', (_, options) => {
  const { template } = buildStack(options);
  const [bucketId, bucket] = resourceStartingWith(template, 'AWS::S3::Bucket', 'RawMessagesBucket');

  it('keep their bytes in the bucket of message content, expiring after the retention period', () => {
    const rules = (bucket.Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toEqual([
      expect.objectContaining({
        Status: 'Enabled',
        ExpirationInDays: DEFAULT_RETENTION_DAYS,
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      }),
    ]);
    expect(rules[0]).not.toHaveProperty('Prefix');
    for (const fn of ['ApiFunction', 'DeliverFunction'])
      expect(functionEnvironment(template, fn)[ENV.attachmentBucket]).toEqual({ Ref: bucketId });
  });

  it('keep upload records in a table of their own, expiring with the messages', () => {
    const [tableId, table] = resourceStartingWith(template, 'AWS::DynamoDB::GlobalTable', 'TablesUploads');
    expect(table.Properties).toMatchObject({ TimeToLiveSpecification: { AttributeName: TABLES.uploads.ttlAttribute, Enabled: true } });
    expect(functionEnvironment(template, 'ApiFunction')[ENV.uploadsTable]).toEqual({ Ref: tableId });
    const api = roleStatements(template, 'ApiFunction');
    const onTable = (s: Statement) => JSON.stringify(s.resources).includes(tableId);
    expect(api.filter(onTable).flatMap((s) => s.actions)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:GetItem']));
    expect(roleStatements(template, 'DeliverFunction').filter(onTable)).toEqual([]);
  });

  it('let the api store and presign under attachments/ only, and list that prefix, never read', () => {
    expect(bucketStatements(template, 'ApiFunction', bucketId)).toEqual([
      { actions: ['s3:PutObject'], resource: objectsUnder(bucketId, 'attachments/') },
      { actions: ['s3:ListBucket'], resource: bucketArn(bucketId), condition: { StringLike: { 's3:prefix': ['attachments/*'] } } },
    ]);
  });

  it('let deliver only read', () => {
    expect(bucketStatements(template, 'DeliverFunction', bucketId)).toEqual([
      { actions: ['s3:GetObject'], resource: objectsUnder(bucketId, '') },
      { actions: ['s3:ListBucket'], resource: bucketArn(bucketId) },
    ]);
  });

  it('give no other function any access to the bucket', () => {
    for (const fn of ['StreamFunction', 'ExportFunction', 'CampaignFunction', 'TrackFunction']) {
      expect(bucketStatements(template, fn, bucketId)).toEqual([]);
    }
    expect(referencedId({ Ref: bucketId })).toBe(bucketId);
  });
});

describe('the SMTP service', () => {
  const { template } = buildStack({ smtpService: SMTP });
  const [bucketId] = resourceStartingWith(template, 'AWS::S3::Bucket', 'RawMessagesBucket');

  it('writes its submissions under smtp/ only, so that it cannot touch attachments', () => {
    const [, policy] = resourceStartingWith(template, 'AWS::IAM::Policy', 'SmtpTaskTaskRoleDefaultPolicy');
    const statements = (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement;
    const onBucket = statements.filter((s) => JSON.stringify(s.Resource).includes(bucketId));
    expect(onBucket.map((s) => JSON.stringify(s.Resource))).toEqual([objectsUnder(bucketId, 'smtp/')]);
  });
});
