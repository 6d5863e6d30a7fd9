/**
 * The send queues between the API (or the campaign fan-out) and the deliver function: one for
 * transactional mail and one for campaign mail, so that a campaign's backlog never holds back
 * transactional mail; both redrive to one dead-letter queue, configured from `SEND_QUEUE` in
 * the shared topology.
 */
import { Duration } from 'aws-cdk-lib';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SEND_QUEUE } from '../../lib/topology.ts';
import { DeadLetterQueue, EncryptedQueue } from './encrypted-queue.ts';

/** The send queue and the dead-letter queue it redrives to. */
export class SendQueue extends Construct {
  /** Jobs waiting for the deliver function. */
  readonly queue: IQueue;
  /** Campaign jobs waiting for the deliver function. */
  readonly bulkQueue: IQueue;
  /** Jobs that crashed the deliver function `SEND_QUEUE.maxReceiveCount` times; can be re-driven. */
  readonly deadLetterQueue: IQueue;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', SEND_QUEUE.deadLetterRetentionDays);

    this.queue = new EncryptedQueue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(SEND_QUEUE.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: SEND_QUEUE.maxReceiveCount },
    });
    this.bulkQueue = new EncryptedQueue(this, 'BulkQueue', {
      visibilityTimeout: Duration.seconds(SEND_QUEUE.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: SEND_QUEUE.maxReceiveCount },
    });
  }
}
