/**
 * Re-enqueues the fan-out of campaigns still sending. The local queue lives in memory, so
 * after a restart the campaigns table, not the queue, says what is left to do; the fan-out
 * goes on from the cursor stored on the campaign, and a duplicate job finds its page taken.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { scanPages } from '../adapters/dynamodb/scan-pages.ts';
import type { CampaignQueue } from '../ports/campaign-queue.ts';

/** Enqueues one fan-out job per sending campaign; returns how many. */
export async function requeueCampaigns(client: DynamoDBClient, campaignsTable: string, queue: CampaignQueue): Promise<number> {
  let count = 0;
  const pages = scanPages(client, {
    TableName: campaignsTable,
    FilterExpression: '#status = :sending',
    ProjectionExpression: '#pk, #sk',
    ExpressionAttributeNames: { '#status': 'status', '#pk': 'pk', '#sk': 'sk' },
    ExpressionAttributeValues: { ':sending': { S: 'sending' } },
  });
  for await (const campaigns of pages) {
    for (const campaign of campaigns) {
      await queue.enqueue({ v: 1, kind: 'fanout', tenant: String(campaign.pk), campaignId: String(campaign.sk) });
      count += 1;
    }
  }
  return count;
}
