/**
 * What downloadable reports need besides a function: the private, encrypted bucket that holds
 * export files until they expire (its server access logs in a second bucket), and the exports
 * queue with its dead-letter queue, configured from `EXPORT_QUEUE` in the shared topology.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantBucketObjects } from './bucket-objects.ts';
import { EXPORT_QUEUE, EXPORT_RETENTION_DAYS } from '../../lib/topology.ts';
import { EncryptedQueue } from './encrypted-queue.ts';

/** Properties of {@link ExportStorage}. */
export interface ExportStorageProps {
  /** How long export files are kept. @default EXPORT_RETENTION_DAYS days (the job records' TTL) */
  fileRetention?: Duration;
  /** How long the bucket's server access logs are kept. @default 90 days */
  accessLogRetention?: Duration;
}

/** The export files' bucket, and the queue that feeds the export function. */
export class ExportStorage extends Construct {
  /** Export files, private, under `<export id>/<run>/<file name>`. */
  readonly bucket: IBucket;
  /** Server access logs of {@link bucket} (under `exports/`); other buckets may log here too. */
  readonly accessLogs: IBucket;
  /** Export jobs waiting for the export function. */
  readonly queue: IQueue;
  /** Jobs the export function failed `EXPORT_QUEUE.maxReceiveCount` times; can be re-driven. */
  readonly deadLetterQueue: IQueue;

  constructor(scope: Construct, id: string, props: ExportStorageProps = {}) {
    super(scope, id);
    // Grant log delivery with a bucket policy, as AWS recommends, instead of the legacy
    // LogDeliveryWrite ACL (which needs ACLs enabled on the log bucket). The app's cdk.json is
    // shared, so the flag is set for this construct's subtree only, before its buckets exist.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    const accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // S3 server access logging delivers only to buckets with SSE-S3, not SSE-KMS.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: props.accessLogRetention ?? Duration.days(90) }],
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "This bucket is the destination of the export and import buckets' server access logs; logging the log bucket into itself (or a third bucket) would only log log deliveries.",
    });
    this.accessLogs = accessLogs;

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // SSE-S3: presigned downloads then need no KMS grant for whoever holds the link's signer.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'exports/',
      lifecycleRules: [
        {
          // Exports are for download, not for keeping: they go with their job records.
          expiration: props.fileRetention ?? Duration.days(EXPORT_RETENTION_DAYS),
          // Uploads cut short by a crash leave parts that would otherwise be billed forever.
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });

    this.deadLetterQueue = new EncryptedQueue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(EXPORT_QUEUE.deadLetterRetentionDays),
    });
    this.queue = new EncryptedQueue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(EXPORT_QUEUE.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: EXPORT_QUEUE.maxReceiveCount },
    });
  }

  /** Lets a role upload export files (single or multipart, and abort a failed multipart upload). */
  grantWrite(role: IRole): void {
    this.grantObjects(role, ['s3:PutObject', 's3:AbortMultipartUpload'], 'writes');
  }

  /**
   * Lets a role read export files. The api function needs it to presign download links: S3
   * checks a presigned request against the permissions of the role that signed it.
   */
  grantRead(role: IRole): void {
    this.grantObjects(role, ['s3:GetObject'], 'presigns downloads of');
  }

  private grantObjects(role: IRole, actions: string[], what: string): void {
    grantBucketObjects(
      this.bucket,
      role,
      actions,
      `The role ${what} export files, whose keys (export id, run, file name) are made at run time; the grant covers objects of the exports bucket only, which holds nothing else.`,
    );
  }
}
