/**
 * The bucket that keeps message content too large for the message records until the deliver
 * function relays it: messages submitted over SMTP exactly as they were submitted (`smtp/`),
 * and the files attached to sends (`attachments/`). Private, encrypted, TLS only, server access
 * logs in a second bucket, objects expiring with the message records.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { grantBucketObjects } from './bucket-objects.ts';
import { ATTACHMENT_PREFIX } from '../../lib/ports/attachment-store.ts';
import { RAW_MESSAGE_PREFIX } from '../../lib/ports/raw-message-store.ts';
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
  /** Submitted messages under `smtp/<message id>.eml`, attachments under `attachments/<tenant>/…`. */
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
          // A message is relayed within the retry deadline; its raw copy and its files go with its record.
          expiration: props.retention ?? Duration.days(DEFAULT_RETENTION_DAYS),
          // Large submissions upload in parts; a dropped connection must not leave parts billed forever.
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
  }

  /** Lets a role store submitted messages (single or multipart) and remove one it could not queue, under `smtp/` only. */
  grantWrite(role: IRole): void {
    grantBucketObjects(
      this.bucket,
      role,
      ['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
      'The role stores (and removes, when they cannot be queued) messages submitted over SMTP, whose keys hold message ids made at run time; the grant covers the smtp/ prefix of the raw message bucket only.',
      RAW_MESSAGE_PREFIX,
    );
  }

  /**
   * Lets a role store attachments and presign their uploads (PutObject under `attachments/`
   * only; S3 checks a presigned PUT against the signer's permissions), and ask whether an
   * upload arrived by listing that prefix. It cannot read, replace outside the prefix, or delete.
   */
  grantAttachmentWrite(role: IRole): void {
    grantBucketObjects(
      this.bucket,
      role,
      ['s3:PutObject'],
      'The role stores the files of sends and presigns their uploads, under keys of tenant, message and upload ids made at run time; the grant covers the attachments/ prefix of the raw message bucket only.',
      ATTACHMENT_PREFIX,
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${ATTACHMENT_PREFIX}*`] } },
      }),
    );
  }

  /**
   * Lets a role read submitted messages and attachments. ListBucket makes S3 answer NoSuchKey for
   * a missing object (an expired one) instead of AccessDenied, so the reader can tell the two apart.
   */
  grantRead(role: IRole): void {
    grantBucketObjects(
      this.bucket,
      role,
      ['s3:GetObject'],
      'The role reads messages submitted over SMTP and the files of sends, whose keys hold ids made at run time; the grant covers objects of the raw message bucket only, which holds nothing else.',
    );
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
  }
}
