import type { CampaignJob } from '../domain/campaign.ts';

/** The queue that feeds the campaign function. */
export interface CampaignQueue {
  /** Enqueues a job, visible after `delaySeconds` (0 by default). */
  enqueue(job: CampaignJob, delaySeconds?: number): Promise<void>;
}
