import { Match } from 'aws-cdk-lib/assertions';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { SmtpServiceSettings } from '../../cdk/context.ts';
import { bundleSmtpImage } from '../../cdk/constructs/smtp-image.ts';
import { SMTP_CONTAINER_PORTS } from '../../cdk/constructs/smtp-service.ts';
import { ENV } from '../../lib/env.ts';
import { DEFAULT_RETENTION_DAYS, SMTP_SERVICE } from '../../lib/topology.ts';
import { buildStack, removeSynthOutput } from './stack-fixture.ts';
import {
  flatten,
  functionEnvironment,
  referencedId,
  resourceStartingWith,
  resourcesFor,
  type Resource,
  type Statement,
} from './template-queries.ts';

afterAll(removeSynthOutput);

const TLS_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mailroom/smtp-tls-AbC123';
const SETTINGS: SmtpServiceSettings = {
  certificateSecretArn: TLS_SECRET,
  hostname: 'smtp.example.com',
  desiredCount: 3,
  cpu: 512,
  memoryMiB: 1024,
  allowedCidrs: ['0.0.0.0/0'],
};

/** Allow statements of a role's default policy, by the role's logical id prefix. */
function policyStatements(template: ReturnType<typeof buildStack>['template'], policyPrefix: string): Statement[] {
  const [, policy] = resourceStartingWith(template, 'AWS::IAM::Policy', policyPrefix);
  const document = policy.Properties.PolicyDocument as { Statement: { Effect: string; Action: string | string[]; Resource: unknown }[] };
  const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
  return document.Statement.filter((s) => s.Effect === 'Allow').map((s) => ({
    actions: asArray(s.Action),
    resources: asArray(s.Resource),
  }));
}

const tableIds = (resources: unknown[]) => resources.map((r) => referencedId(r).replace(/[0-9A-F]{8}$/, '')).sort();

describe('SMTP service', () => {
  describe('by default', () => {
    const { template } = buildStack();

    it('is absent, with no network, raw message bucket setting or endpoint', () => {
      for (const type of ['AWS::ECS::Service', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::EC2::VPC']) {
        template.resourceCountIs(type, 0);
      }
      // The bucket holds the files of sends too, so it is there either way (test/cdk/attachments.test.ts).
      expect(Object.keys(template.findOutputs('*'))).not.toContain('SmtpEndpoint');
      expect(functionEnvironment(template, 'DeliverFunction')[ENV.rawMessageBucket]).toBeUndefined();
    });
  });

  describe('enabled', () => {
    const { template } = buildStack({ smtpService: SETTINGS });
    const [taskId, task] = resourceStartingWith(template, 'AWS::ECS::TaskDefinition', 'SmtpTask');
    const container = (task.Properties.ContainerDefinitions as Record<string, unknown>[])[0]!;
    const environment = Object.fromEntries(
      (container.Environment as { Name: string; Value: unknown }[]).map((variable) => [variable.Name, variable.Value]),
    );
    const taskRole = policyStatements(template, 'SmtpTaskTaskRoleDefaultPolicy');
    const [bucketId, bucket] = resourceStartingWith(template, 'AWS::S3::Bucket', 'RawMessagesBucket');

    it('listens on 587 and 465 with TCP pass-through to the container ports, health-checked over TCP', () => {
      const listeners = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::Listener') as Record<string, Resource>);
      expect(listeners.map((l) => [l.Properties.Port, l.Properties.Protocol]).sort()).toEqual([
        [465, 'TCP'],
        [587, 'TCP'],
      ]);
      for (const [port, containerPort] of [
        [587, SMTP_CONTAINER_PORTS.starttls],
        [465, SMTP_CONTAINER_PORTS.tls],
      ] as const) {
        const listener = listeners.find((l) => l.Properties.Port === port)!;
        const groupId = referencedId((listener.Properties.DefaultActions as { TargetGroupArn: unknown }[])[0]!.TargetGroupArn);
        const group = (template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup') as Record<string, Resource>)[groupId]!;
        expect(group.Properties).toMatchObject({ Port: containerPort, Protocol: 'TCP', TargetType: 'ip', HealthCheckProtocol: 'TCP' });
      }
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network', Scheme: 'internet-facing' });
    });

    it('hands the tasks the clients’ own addresses, so that the per-address connection cap counts clients, not the load balancer', () => {
      const groups = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup') as Record<string, Resource>);
      expect(groups).toHaveLength(2);
      for (const group of groups) {
        expect(group.Properties.TargetGroupAttributes).toContainEqual({ Key: 'preserve_client_ip.enabled', Value: 'true' });
      }
      expect(environment).toMatchObject({
        [ENV.smtpAuthDeadlineSeconds]: String(SMTP_SERVICE.authDeadlineMs / 1000),
        [ENV.smtpMaxConnectionsPerAddress]: String(SMTP_SERVICE.maxConnectionsPerAddress),
      });
    });

    it('runs the given number of Fargate tasks, reachable only from the load balancer', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        LaunchType: 'FARGATE',
        DesiredCount: 3,
        TaskDefinition: { Ref: taskId },
        DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
      });
      const [lbGroupId, lbGroup] = resourceStartingWith(template, 'AWS::EC2::SecurityGroup', 'SmtpLoadBalancerSecurityGroup');
      expect(
        (lbGroup.Properties.SecurityGroupIngress as { FromPort: number; CidrIp: string }[]).map((r) => [r.FromPort, r.CidrIp]).sort(),
      ).toEqual([
        [465, '0.0.0.0/0'],
        [587, '0.0.0.0/0'],
      ]);
      const taskIngress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress') as Record<string, Resource>);
      expect(taskIngress.map((r) => [r.Properties.FromPort, referencedId(r.Properties.SourceSecurityGroupId)]).sort()).toEqual([
        [SMTP_CONTAINER_PORTS.tls, lbGroupId],
        [SMTP_CONTAINER_PORTS.starttls, lbGroupId],
      ]);
      const [, taskGroup] = resourceStartingWith(template, 'AWS::EC2::SecurityGroup', 'SmtpTaskSecurityGroup');
      expect(taskGroup.Properties.SecurityGroupIngress).toBeUndefined();
      expect(taskGroup.Properties.SecurityGroupEgress).toEqual([expect.objectContaining({ FromPort: 443, ToPort: 443 })]);
    });

    it('runs arm64, as a non-root user on a read-only root file system, logging with a retention', () => {
      expect(task.Properties).toMatchObject({
        Cpu: '512',
        Memory: '1024',
        RequiresCompatibilities: ['FARGATE'],
        RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      });
      expect(container).toMatchObject({ User: 'node', ReadonlyRootFilesystem: true, LogConfiguration: { LogDriver: 'awslogs' } });
      const [, logGroup] = resourceStartingWith(template, 'AWS::Logs::LogGroup', 'SmtpLogs');
      expect(logGroup.Properties.RetentionInDays).toEqual(expect.any(Number));
      template.hasResourceProperties('AWS::ECS::Cluster', {
        ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
      });
    });

    it('tells the server its ports, host name, TLS secret, bucket, tables and queue', () => {
      expect(environment).toMatchObject({
        [ENV.smtpPort]: String(SMTP_CONTAINER_PORTS.starttls),
        [ENV.smtpsPort]: String(SMTP_CONTAINER_PORTS.tls),
        [ENV.smtpHostname]: 'smtp.example.com',
        [ENV.smtpTlsSecretArn]: TLS_SECRET,
        [ENV.rawMessageBucket]: { Ref: bucketId },
        [ENV.smtpCredentialsTable]: { Ref: expect.stringMatching(/^TablesSmtpCredentials/) },
        [ENV.sendQueueUrl]: { Ref: expect.stringMatching(/^SendQueue4/) },
      });
      // The certificate's key is read at run time, never put in the task definition.
      expect(flatten(container)).not.toMatch(/PRIVATE KEY|"Secrets"/);
    });

    it('grants the tasks what submission needs and nothing more', () => {
      expect(resourcesFor(taskRole, 'secretsmanager:GetSecretValue')).toEqual([TLS_SECRET]);
      // The feed table takes the lookup entries of the messages it accepts; it is never read here.
      expect(tableIds(resourcesFor(taskRole, 'dynamodb:PutItem'))).toEqual([
        'TablesEvents',
        'TablesFeed',
        'TablesMessages',
        'TablesRateLimits',
      ]);
      expect(tableIds(resourcesFor(taskRole, 'dynamodb:GetItem'))).toEqual([
        'TablesDomains',
        'TablesEvents',
        'TablesMessages',
        'TablesRateLimits',
        'TablesSmtpCredentials',
        'TablesSuppressions',
        'TablesTenants',
      ]);
      expect(tableIds(resourcesFor(taskRole, 'sqs:SendMessage'))).toEqual(['SendQueue']);
      expect(flatten(resourcesFor(taskRole, 's3:PutObject'))).toMatch(new RegExp(`"${bucketId}","Arn".*/\\*`));
      expect(resourcesFor(taskRole, 's3:GetObject')).toEqual([]);
      expect(flatten(taskRole)).not.toMatch(/TablesApiKeys|ses:|TenantSecrets/);
    });

    it('keeps submitted messages private, encrypted and only as long as their records, and lets deliver read them', () => {
      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: expect.stringMatching(/^RawMessagesAccessLogs/) } },
      });
      expect(flatten(bucket.Properties.LifecycleConfiguration)).toContain(`"ExpirationInDays":${DEFAULT_RETENTION_DAYS}`);
      const deliver = policyStatements(template, 'DeliverFunctionRoleDefaultPolicy');
      expect(flatten(resourcesFor(deliver, 's3:GetObject'))).toContain(bucketId);
      expect(resourcesFor(deliver, 's3:PutObject')).toEqual([]);
      expect(functionEnvironment(template, 'DeliverFunction')[ENV.rawMessageBucket]).toEqual({ Ref: bucketId });
    });

    it('outputs the load balancer name to point the host name at', () => {
      template.hasOutput('SmtpEndpoint', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SmtpLoadBalancer'), 'DNSName'] } });
    });
  });

  it('opens 587 and 465 to the listed networks only', () => {
    const { template } = buildStack({ smtpService: { ...SETTINGS, allowedCidrs: ['203.0.113.0/24', '198.51.100.7/32'] } });
    const [, group] = resourceStartingWith(template, 'AWS::EC2::SecurityGroup', 'SmtpLoadBalancerSecurityGroup');
    const cidrs = (group.Properties.SecurityGroupIngress as { CidrIp: string }[]).map((r) => r.CidrIp);
    expect([...new Set(cidrs)].sort()).toEqual(['198.51.100.7/32', '203.0.113.0/24']);
  });
});

describe('SMTP image bundle', () => {
  const fixture = fileURLToPath(new URL('./fixtures/smtp-entry.ts', import.meta.url));
  const outdir = mkdtempSync(join(fileURLToPath(new URL('../../.tmp/', import.meta.url)), 'smtp-image-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('bundles the entry and its dependencies into one runnable ESM file beside the Dockerfile', () => {
    bundleSmtpImage(fixture, outdir);
    expect(readFileSync(join(outdir, 'Dockerfile'), 'utf8')).toMatch(/^FROM public\.ecr\.aws\/docker\/library\/node:20-slim$/m);
    expect(existsSync(join(outdir, 'index.mjs.map'))).toBe(true);
    const output = execFileSync(process.execPath, [join(outdir, 'index.mjs')], { encoding: 'utf8', cwd: outdir });
    expect(JSON.parse(output)).toEqual({ server: 'function', port: 587 });
  });

  it('names a missing entry point', () => {
    expect(() => bundleSmtpImage(join(outdir, 'nope.ts'), outdir)).toThrow(/entry point .*nope\.ts does not exist/);
  });
});
