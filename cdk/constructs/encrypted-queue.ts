/**
 * An SQS queue with secure defaults: SQS-managed encryption at rest and a queue policy that
 * refuses requests not made over TLS; and the dead-letter queue built on it, which outlives
 * the stack.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** An SQS queue encrypted at rest (SQS-managed keys) that accepts TLS requests only; props override the defaults. */
export class EncryptedQueue extends Queue {
  constructor(scope: Construct, id: string, props: QueueProps = {}) {
    // SQS-managed SSE costs nothing and needs no key policy for producers such as Lambda
    // event-source destinations; pass `encryption` to use a KMS key instead.
    super(scope, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, ...props });
  }
}

/**
 * A queue of what failed (jobs, records, stream positions), kept for `retentionDays` and
 * retained when the stack is deleted: like the tables, it may hold the only copy of work
 * that still has to be redriven.
 */
export class DeadLetterQueue extends EncryptedQueue {
  constructor(scope: Construct, id: string, retentionDays: number) {
    super(scope, id, { retentionPeriod: Duration.days(retentionDays), removalPolicy: RemovalPolicy.RETAIN });
  }
}
