/**
 * The optional SMTP submission service: `bin/smtp-server.ts` as an ECS Fargate service (arm64,
 * non-root, read-only root file system) behind an internet-facing Network Load Balancer with
 * TCP listeners on 587 (STARTTLS) and 465 (implicit TLS). TLS ends in the container, because
 * an NLB cannot terminate STARTTLS; the certificate and key come from a Secrets Manager secret.
 *
 * Network: a VPC of two public subnets, no NAT gateway. Tasks get public addresses for their
 * egress to AWS APIs (HTTPS only), which saves the NAT gateways' hourly and per-GB cost (two
 * would cost more than the tasks); their security group admits nothing but the load balancer
 * on the two container ports. Gateway endpoints keep S3 and DynamoDB traffic inside the VPC.
 */
import { CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import {
  FlowLogDestination,
  FlowLogTrafficType,
  GatewayVpcEndpointAwsService,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import {
  Cluster,
  ContainerImage,
  ContainerInsights,
  CpuArchitecture,
  FargatePlatformVersion,
  FargateService,
  FargateTaskDefinition,
  LogDrivers,
  OperatingSystemFamily,
} from 'aws-cdk-lib/aws-ecs';
import { NetworkLoadBalancer, Protocol } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '../../lib/env.ts';
import { SMTP_SERVICE } from '../../lib/topology.ts';
import type { SmtpServiceSettings } from '../context.ts';
import { smtpImageDirectory } from './smtp-image.ts';

/** Ports the container listens on: unprivileged, since it runs as a non-root user (as in local mode). */
export const SMTP_CONTAINER_PORTS = { starttls: 2587, tls: 2465 } as const;

const CONTAINER_NAME = 'smtp';

/** Properties of {@link SmtpService}. */
export interface SmtpServiceProps extends SmtpServiceSettings {
  /** The server's entry point (`bin/smtp-server.ts`). */
  entry: string;
  /** Environment shared with the functions (table names, queue URLs…); the service's own variables are added. */
  environment: Record<string, string>;
  /** How long the service's and the VPC flow logs are kept. @default one month */
  logRetention?: RetentionDays;
}

/** VPC, cluster, Fargate service and Network Load Balancer of SMTP submission. */
export class SmtpService extends Construct {
  /** The tasks' role: grant what the server needs to it. */
  readonly taskRole: IRole;
  /** DNS name of the load balancer; point the service's host name at it. */
  readonly loadBalancerDnsName: string;

  constructor(scope: Construct, id: string, props: SmtpServiceProps) {
    super(scope, id);
    const retention = props.logRetention ?? RetentionDays.ONE_MONTH;

    const vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 }],
      gatewayEndpoints: {
        S3: { service: GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: GatewayVpcEndpointAwsService.DYNAMODB },
      },
      // Nothing uses the default security group; restricting it would add a custom-resource function.
      restrictDefaultSecurityGroup: false,
    });
    vpc.addFlowLog('FlowLog', {
      destination: FlowLogDestination.toCloudWatchLogs(new LogGroup(this, 'FlowLogs', { retention })),
      trafficType: FlowLogTrafficType.ALL,
    });

    const cluster = new Cluster(this, 'Cluster', { vpc, containerInsightsV2: ContainerInsights.ENABLED });

    const task = new FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      runtimePlatform: { cpuArchitecture: CpuArchitecture.ARM64, operatingSystemFamily: OperatingSystemFamily.LINUX },
    });
    this.taskRole = task.taskRole;
    // The only writable place: a task-local scratch volume for anything a library spools.
    task.addVolume({ name: 'tmp' });

    const container = task.addContainer(CONTAINER_NAME, {
      image: ContainerImage.fromAsset(smtpImageDirectory(this, props.entry), { platform: Platform.LINUX_ARM64 }),
      user: 'node',
      readonlyRootFilesystem: true,
      logging: LogDrivers.awsLogs({ streamPrefix: 'smtp', logGroup: new LogGroup(this, 'Logs', { retention }) }),
      environment: {
        ...props.environment,
        [ENV.smtpPort]: String(SMTP_CONTAINER_PORTS.starttls),
        [ENV.smtpsPort]: String(SMTP_CONTAINER_PORTS.tls),
        [ENV.smtpHostname]: props.hostname,
        [ENV.smtpTlsSecretArn]: props.certificateSecretArn,
        [ENV.smtpMaxMessageBytes]: String(SMTP_SERVICE.maxMessageBytes),
        [ENV.smtpAuthDeadlineSeconds]: String(SMTP_SERVICE.authDeadlineMs / 1000),
        [ENV.smtpMaxConnectionsPerAddress]: String(SMTP_SERVICE.maxConnectionsPerAddress),
      },
      portMappings: [{ containerPort: SMTP_CONTAINER_PORTS.starttls }, { containerPort: SMTP_CONTAINER_PORTS.tls }],
      // Time for open sessions to finish their message after SIGTERM.
      stopTimeout: Duration.seconds(60),
    });
    container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });
    Secret.fromSecretCompleteArn(this, 'TlsSecret', props.certificateSecretArn).grantRead(task.taskRole);

    const loadBalancerGroup = new SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc,
      description: 'mailroom SMTP submission: clients to the load balancer on 587 and 465',
      allowAllOutbound: false,
    });
    for (const cidr of props.allowedCidrs) {
      loadBalancerGroup.addIngressRule(Peer.ipv4(cidr), Port.tcp(SMTP_SERVICE.port), 'SMTP submission (STARTTLS)');
      loadBalancerGroup.addIngressRule(Peer.ipv4(cidr), Port.tcp(SMTP_SERVICE.securePort), 'SMTP submission (implicit TLS)');
    }
    const taskGroup = new SecurityGroup(this, 'TaskSecurityGroup', {
      vpc,
      description: 'mailroom SMTP tasks: the load balancer in, HTTPS to AWS APIs out',
      allowAllOutbound: false,
    });
    taskGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), 'AWS APIs (DynamoDB, SQS, S3, Secrets Manager, CloudWatch Logs, ECR)');

    const service = new FargateService(this, 'Service', {
      cluster,
      taskDefinition: task,
      desiredCount: props.desiredCount,
      platformVersion: FargatePlatformVersion.LATEST,
      assignPublicIp: true,
      vpcSubnets: { subnetType: SubnetType.PUBLIC },
      securityGroups: [taskGroup],
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
    });

    const loadBalancer = new NetworkLoadBalancer(this, 'LoadBalancer', {
      vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: SubnetType.PUBLIC },
      securityGroups: [loadBalancerGroup],
      crossZoneEnabled: true,
    });
    this.loadBalancerDnsName = loadBalancer.loadBalancerDnsName;
    const listeners = [
      { id: 'Starttls', port: SMTP_SERVICE.port, containerPort: SMTP_CONTAINER_PORTS.starttls },
      { id: 'ImplicitTls', port: SMTP_SERVICE.securePort, containerPort: SMTP_CONTAINER_PORTS.tls },
    ];
    for (const { id: listenerId, port, containerPort } of listeners) {
      // TCP pass-through: the server speaks TLS itself (STARTTLS cannot end at a load balancer).
      loadBalancer.addListener(listenerId, { port, protocol: Protocol.TCP }).addTargets(listenerId, {
        port: containerPort,
        protocol: Protocol.TCP,
        targets: [service.loadBalancerTarget({ containerName: CONTAINER_NAME, containerPort })],
        healthCheck: { protocol: Protocol.TCP, interval: Duration.seconds(30), healthyThresholdCount: 2, unhealthyThresholdCount: 2 },
        // A session in progress may finish its message before the task leaves.
        deregistrationDelay: Duration.seconds(60),
        // IP targets over TCP would see the load balancer's address on every connection; the
        // server caps connections per client address, so it must see the client's. (The task
        // security group admits the load balancer's group, which covers preserved addresses.)
        preserveClientIp: true,
      });
      service.connections.allowFrom(loadBalancerGroup, Port.tcp(containerPort), 'load balancer to SMTP task');
    }

    new CfnOutput(Stack.of(this), 'SmtpEndpoint', {
      value: loadBalancer.loadBalancerDnsName,
      description: `SMTP submission (587 STARTTLS, 465 TLS): point ${props.hostname} at this name (CNAME or alias)`,
    });
    this.acknowledge(task, loadBalancer, loadBalancerGroup, props.allowedCidrs);
  }

  /** The cdk-nag findings that are deliberate, each with its reason. */
  private acknowledge(
    task: FargateTaskDefinition,
    loadBalancer: NetworkLoadBalancer,
    loadBalancerGroup: SecurityGroup,
    allowedCidrs: readonly string[],
  ): void {
    Validations.of(task).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'The environment holds resource names and settings (table names, queue URLs, the host name, the ARN of the TLS secret), no secret values; the server reads the certificate and key from Secrets Manager itself.',
    });
    if (task.executionRole) {
      Validations.of(task.executionRole).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecr:GetAuthorizationToken, which pulls the image, supports no resource-level permissions; the other ECR and log grants name their repository and log group.',
      });
    }
    Validations.of(loadBalancer).acknowledge({
      id: 'AwsSolutions-ELB2',
      reason:
        'A Network Load Balancer writes access logs only for TLS listeners; these are TCP pass-through listeners (TLS ends in the container for STARTTLS), so a log bucket would stay empty. The SMTP server logs each session, and the VPC flow log records connections.',
    });
    if (allowedCidrs.includes('0.0.0.0/0')) {
      Validations.of(loadBalancerGroup).acknowledge({
        id: 'AwsSolutions-EC23',
        reason:
          'SMTP submission is a public service: mail clients and applications connect from anywhere, and authenticate with SMTP credentials after TLS. Only 587 and 465 are open; the context key mailroom:smtp allowedCidrs narrows it.',
      });
    }
  }
}
