/** The campaign queue on SQS: one message per job (fan-out of a campaign, clean-up of a deleted list). */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CampaignJob } from '../../domain/campaign.ts';
import type { CampaignQueue } from '../../ports/campaign-queue.ts';
import { SQS_MAX_DELAY_SECONDS } from '../../topology.ts';
import { EnqueueError } from './sqs-send-queue.ts';

/** {@link CampaignQueue} on SQS. Bodies are the jobs as JSON. */
export class SqsCampaignQueue implements CampaignQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** @throws EnqueueError when SQS does not take the job (the SDK has retried already). */
  async enqueue(job: CampaignJob, delaySeconds = 0): Promise<void> {
    const DelaySeconds = Math.min(SQS_MAX_DELAY_SECONDS, Math.max(0, Math.round(delaySeconds)));
    try {
      await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(job), DelaySeconds }));
    } catch (error) {
      throw new EnqueueError(`could not enqueue campaign job ${job.kind}: ${(error as Error).message}`, [], { cause: error });
    }
  }
}
