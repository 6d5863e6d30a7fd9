/**
 * The webhook queue between the stream function (first tries, notices) and the webhook
 * function (which also queues its own retries), with its dead-letter queue, configured from
 * `WEBHOOK_QUEUE` in the shared topology. Tries carry a tenant's group id, which makes the
 * standard queue a fair queue: one tenant's slow or dead endpoint does not delay the others.
 */
import { Duration } from 'aws-cdk-lib';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WEBHOOK_QUEUE } from '../../lib/topology.ts';
import { DeadLetterQueue, EncryptedQueue } from './encrypted-queue.ts';

/** The webhook queue and the dead-letter queue it redrives to. */
export class WebhookQueue extends Construct {
  /** Tries of webhook deliveries waiting for the webhook function. */
  readonly queue: IQueue;
  /** Tries that crashed the webhook function `WEBHOOK_QUEUE.maxReceiveCount` times. */
  readonly deadLetterQueue: IQueue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', WEBHOOK_QUEUE.deadLetterRetentionDays);
    this.queue = new EncryptedQueue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(WEBHOOK_QUEUE.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: WEBHOOK_QUEUE.maxReceiveCount },
    });
  }
}
