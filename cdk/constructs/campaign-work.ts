/**
 * What campaigns need besides their functions: the campaign queue (fan-out and list clean-up
 * jobs) with its dead-letter queue, configured from `CAMPAIGN_QUEUE` in the shared topology,
 * and the key that signs public links (click, open, conversion, unsubscribe).
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CAMPAIGN_QUEUE } from '../../lib/topology.ts';
import { DeadLetterQueue, EncryptedQueue } from './encrypted-queue.ts';

/** The campaign queue and the link-signing key. */
export class CampaignWork extends Construct {
  /** Campaign jobs waiting for the campaign function. */
  readonly queue: IQueue;
  /** Jobs that failed `CAMPAIGN_QUEUE.maxReceiveCount` times (their campaign is marked failed). */
  readonly deadLetterQueue: IQueue;
  /** Random key (64 characters) that signs every public link mailroom puts in mail. */
  readonly linkSecret: ISecret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', CAMPAIGN_QUEUE.deadLetterRetentionDays);
    this.queue = new EncryptedQueue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(CAMPAIGN_QUEUE.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: CAMPAIGN_QUEUE.maxReceiveCount },
    });

    this.linkSecret = new Secret(this, 'LinkSecret', {
      description: 'mailroom: key that signs tracking, conversion and unsubscribe links',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Links in mail already sent stop working without it: keep it when the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.linkSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key signs links inside mail already delivered (unsubscribe links must keep working for months); rotating it would break every one of them. Replace it deliberately, never on a schedule.',
    });
  }

  /** Lets a grantee read the link-signing key. */
  grantReadLinkSecret(grantee: IGrantable): void {
    this.linkSecret.grantRead(grantee);
  }
}
