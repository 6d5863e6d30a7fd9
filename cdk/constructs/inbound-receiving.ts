/**
 * SES email receiving for mailroom's return path: a receipt rule set whose rule stores each
 * message SES takes for the account's verified domains (the bounce domains point their MX at
 * `inbound-smtp.<region>.amazonaws.com`) in a private bucket and notifies an SNS topic, which
 * feeds an SQS queue (with a dead-letter queue) for the inbound function. SES scans each message
 * for spam and viruses and gives its SPF, DKIM and DMARC verdicts with it.
 *
 * A region has one active rule set: this one is created inactive, and activated by the operator
 * (`aws ses set-active-receipt-rule-set`), so that a rule set already in use is never replaced.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { S3 as S3Action } from 'aws-cdk-lib/aws-ses-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INBOUND_QUEUE, INBOUND_RETENTION_DAYS } from '../../lib/topology.ts';
import { grantBucketObjects } from './bucket-objects.ts';
import { DeadLetterQueue, EncryptedQueue } from './encrypted-queue.ts';

/** Properties of {@link InboundReceiving}. */
export interface InboundReceivingProps {
  /** The bucket that receives the inbound bucket's server access logs (under `inbound/`). */
  accessLogsBucket: IBucket;
}

/** Prefix of the messages SES stores. */
const PREFIX = 'inbound/';

/** SES receipt rule set → S3 (+ SNS topic) → SQS queue (+DLQ). */
export class InboundReceiving extends Construct {
  readonly bucket: IBucket;
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  readonly ruleSetName: string;
  /** The MX host of the bounce domains: SES's inbound endpoint in the stack's region. */
  readonly mxHost: string;

  constructor(scope: Construct, id: string, props: InboundReceivingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    this.mxHost = `inbound-smtp.${stack.region}.amazonaws.com`;

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'inbound/',
      // Reports and replies hold people's addresses: kept only while they may be retried.
      lifecycleRules: [{ expiration: Duration.days(INBOUND_RETENTION_DAYS) }],
    });

    const key = new Key(this, 'Key', { description: 'Encrypts the topic SES receiving notifies mailroom on', enableKeyRotation: true });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    const topic = new Topic(this, 'Topic', { displayName: 'mailroom inbound mail', masterKey: key, enforceSSL: true });
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', INBOUND_QUEUE.deadLetterRetentionDays);
    this.queue = new EncryptedQueue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(INBOUND_QUEUE.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: INBOUND_QUEUE.maxReceiveCount },
    });
    topic.addSubscription(new SqsSubscription(this.queue, { rawMessageDelivery: false }));

    const ruleSet = new ReceiptRuleSet(this, 'RuleSet');
    ruleSet.addRule('Store', {
      scanEnabled: true,
      tlsPolicy: TlsPolicy.OPTIONAL,
      actions: [new S3Action({ bucket: this.bucket, objectKeyPrefix: PREFIX, topic })],
    });
    this.ruleSetName = ruleSet.receiptRuleSetName;
  }

  /** Lets a role read the stored messages (the inbound function). */
  grantRead(role: IRole): void {
    grantBucketObjects(
      this.bucket,
      role,
      ['s3:GetObject'],
      'The inbound function reads the messages SES receiving stored, under keys SES makes at run time; this bucket holds nothing else.',
      PREFIX,
    );
  }
}
