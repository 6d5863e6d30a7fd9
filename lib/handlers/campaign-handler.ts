/**
 * The campaign-queue consumer: one job per record (fan out a campaign, remove a deleted list's
 * contacts), with a partial batch response so that only failed records come back. A job works
 * page after page until the function's time is nearly up, then queues itself again to go on
 * where it stopped. On the last receive a failing fan-out marks its campaign failed, so that it
 * does not stay `sending` while the record sits in the DLQ.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseCampaignJob, type CampaignJob } from '../domain/campaign.ts';
import { unstoredJobDelaySeconds } from '../domain/delivery-job.ts';
import type { CampaignQueue } from '../ports/campaign-queue.ts';
import { SQS_MAX_DELAY_SECONDS } from '../topology.ts';
import { failCampaign, fanOutCampaign, type FanOutDeps } from '../use-cases/campaigns.ts';
import { purgeListContacts, type PurgeListDeps } from '../use-cases/lists.ts';
import { lambdaHandler, type HandlerTelemetry } from './lambda-handler.ts';
import { processSqsBatch } from './sqs-batch.ts';

export interface CampaignHandlerDeps extends FanOutDeps, PurgeListDeps, HandlerTelemetry {
  /** Where a job that ran out of time queues its continuation. */
  campaignQueue: CampaignQueue;
  /** Receives after which the queue dead-letters a record (the queue's redrive setting). */
  maxReceiveCount: number;
  /** Time (ms) an invocation keeps for itself: no page starts with less left (CAMPAIGN_RESERVE_MS). */
  reserveMs: number;
}

/** How long a fan-out waits while its tenant's sending is paused before it looks again (SQS's longest delay). */
export const PAUSED_RETRY_SECONDS = SQS_MAX_DELAY_SECONDS;

/**
 * Runs the job's pages while time allows; 'more' when it stopped before the end, 'paused' while
 * the tenant may not send, 'waiting' while a new campaign's record is not there yet.
 */
function runJob(deps: CampaignHandlerDeps, job: CampaignJob, shouldStop: () => boolean): Promise<'done' | 'more' | 'paused' | 'waiting'> {
  switch (job.kind) {
    case 'fanout':
      return fanOutCampaign(deps, job.tenant, job.campaignId, shouldStop, job.enqueuedAt);
    case 'purge-list':
      return purgeListContacts(deps, job.tenant, job.listId, shouldStop);
  }
}

/** Builds the SQS handler. */
export function createCampaignHandler(deps: CampaignHandlerDeps) {
  /** Runs one record's job until done or out of time; throws when the record must come back. */
  const one = async (record: SQSRecord, context: Context): Promise<void> => {
    const job = parseCampaignJob(record.body);
    if (!job) {
      // Retrying cannot make it a job; drop it, but leave a trace.
      deps.log.error('not a campaign job', { messageId: record.messageId });
      return;
    }
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1;
    const shouldStop = () => context.getRemainingTimeInMillis() < deps.reserveMs;
    try {
      const outcome = await runJob(deps, job, shouldStop);
      if (outcome === 'more') {
        // Out of time: a new job goes on from where this one stopped (the cursor is stored).
        await deps.campaignQueue.enqueue(job);
        deps.log.info('campaign job continues', { ...job });
      } else if (outcome === 'paused') {
        await deps.campaignQueue.enqueue(job, PAUSED_RETRY_SECONDS);
        deps.log.info('campaign job waits: sending is paused', { ...job });
      } else if (outcome === 'waiting' && job.kind === 'fanout') {
        await deps.campaignQueue.enqueue(job, unstoredJobDelaySeconds(deps.clock.now().getTime() - (job.enqueuedAt ?? 0)));
        deps.log.debug('campaign not stored yet; fan-out back later', { ...job });
      }
    } catch (error) {
      deps.log.warn('campaign job failed', { ...job, receiveCount, error: String(error) });
      if (receiveCount < deps.maxReceiveCount || job.kind !== 'fanout') throw error;
      await failCampaign(
        deps,
        job,
        `the fan-out failed ${receiveCount} times (${(error as Error)?.name ?? 'error'}); the messages queued until then are sent`,
      );
    }
  };
  // One at a time: each job uses the invocation's time until it is nearly up.
  const handle = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processSqsBatch(event, context, (record) => one(record, context), { inOrder: true });
  return lambdaHandler(handle, deps.middlewares);
}
