/**
 * An SQS queue with secure defaults: SQS-managed encryption at rest and a queue policy that
 * refuses requests not made over TLS.
 */
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
