/**
 * What contact imports too large for the API need besides their function: the private,
 * encrypted bucket that keeps each import's body from the request until the import function
 * has written its contacts, and the import queue with its dead-letter queue, configured from
 * `IMPORT_QUEUE` in the shared topology.
 */
import { Duration } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IMPORT_QUEUE, IMPORT_RETENTION_DAYS } from '../../lib/topology.ts';
import { grantBucketObjects } from './bucket-objects.ts';
import { EncryptedQueue } from './encrypted-queue.ts';

/** Properties of {@link ContactImports}. */
export interface ContactImportsProps {
  /** The bucket that receives the body bucket's server access logs (under `imports/`). */
  accessLogsBucket: IBucket;
  /** How long a body is kept at most (the function removes it once written). @default IMPORT_RETENTION_DAYS days */
  bodyRetention?: Duration;
}

/** The import bodies' bucket, and the queue that feeds the import function. */
export class ContactImports extends Construct {
  /** Import bodies, private, under `<import id>.csv` or `<import id>.json`. */
  readonly bucket: IBucket;
  /** Import jobs (and their continuations) waiting for the import function. */
  readonly queue: IQueue;
  /** Jobs the import function failed `IMPORT_QUEUE.maxReceiveCount` times (marked failed); can be re-driven. */
  readonly deadLetterQueue: IQueue;

  constructor(scope: Construct, id: string, props: ContactImportsProps) {
    super(scope, id);
    // Log delivery through a bucket policy, not the legacy ACL (as in the exports storage).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'imports/',
      lifecycleRules: [
        {
          // Bodies hold people's addresses: none outlives its job, even one that failed.
          expiration: props.bodyRetention ?? Duration.days(IMPORT_RETENTION_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });

    this.deadLetterQueue = new EncryptedQueue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(IMPORT_QUEUE.deadLetterRetentionDays),
    });
    this.queue = new EncryptedQueue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(IMPORT_QUEUE.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: IMPORT_QUEUE.maxReceiveCount },
    });
  }

  /** Lets a role store import bodies (the api function). */
  grantUpload(role: IRole): void {
    this.grantObjects(role, ['s3:PutObject'], 'stores');
  }

  /**
   * Lets a role read import bodies and remove them once written (the import function).
   * ListBucket makes S3 answer NoSuchKey for a missing body (an expired one) instead of
   * AccessDenied, so that the job fails at once instead of being retried.
   */
  grantReadAndRemove(role: IRole): void {
    this.grantObjects(role, ['s3:GetObject', 's3:DeleteObject'], 'reads and removes');
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
  }

  private grantObjects(role: IRole, actions: string[], what: string): void {
    grantBucketObjects(
      this.bucket,
      role,
      actions,
      `The role ${what} the bodies of contact imports, whose keys hold import ids made at run time; the grant covers objects of the import bucket only, which holds nothing else.`,
    );
  }
}
