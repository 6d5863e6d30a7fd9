/**
 * The bucket that keeps messages submitted over SMTP exactly as they were submitted, until the
 * deliver function relays them: private, encrypted, TLS only, server access logs in a second
 * bucket, objects expiring with the message records.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { grantBucketObjects } from './bucket-objects.ts';
import { DEFAULT_RETENTION_DAYS } from '../../lib/topology.ts';

/** Properties of {@link RawMessageStorage}. */
export interface RawMessageStorageProps {
  /** How long submitted messages are kept. @default DEFAULT_RETENTION_DAYS days (the message records' TTL) */
  retention?: Duration;
  /** How long the bucket's server access logs are kept. @default 90 days */
  accessLogRetention?: Duration;
}

/** The raw message bucket and its access-log bucket. */
export class RawMessageStorage extends Construct {
  /** Submitted messages under `smtp/<message id>.eml`. */
  readonly bucket: IBucket;
  /** Server access logs of {@link bucket}; other buckets of the feature may log here too. */
  readonly accessLogs: IBucket;

  constructor(scope: Construct, id: string, props: RawMessageStorageProps = {}) {
    super(scope, id);
    // Log delivery through a bucket policy, not the legacy ACL (as in the exports storage).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // S3 server access logging delivers only to buckets with SSE-S3, not SSE-KMS.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: props.accessLogRetention ?? Duration.days(90) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "This bucket is the destination of the raw message bucket's server access logs; logging the log bucket into itself (or a third bucket) would only log log deliveries.",
    });

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'raw-messages/',
      lifecycleRules: [
        {
          // A message is relayed within the retry deadline; its raw copy goes with its record.
          expiration: props.retention ?? Duration.days(DEFAULT_RETENTION_DAYS),
          // Large submissions upload in parts; a dropped connection must not leave parts billed forever.
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
  }

  /** Lets a role store submitted messages (single or multipart) and remove one it could not queue. */
  grantWrite(role: IRole): void {
    this.grantObjects(
      role,
      ['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
      'stores (and removes, when they cannot be queued)',
    );
  }

  /**
   * Lets a role read submitted messages. ListBucket makes S3 answer NoSuchKey for a missing
   * object (an expired one) instead of AccessDenied, so the reader can tell the two apart.
   */
  grantRead(role: IRole): void {
    this.grantObjects(role, ['s3:GetObject'], 'reads');
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
  }

  private grantObjects(role: IRole, actions: string[], what: string): void {
    grantBucketObjects(
      this.bucket,
      role,
      actions,
      `The role ${what} messages submitted over SMTP, whose keys hold message ids made at run time; the grant covers objects of the raw message bucket only, which holds nothing else.`,
    );
  }
}
