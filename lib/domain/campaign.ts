/** Campaigns: one message per subscribed contact of a list, sent through the normal pipeline. */

/** Work on the campaign queue. */
export type CampaignJob =
  /** Fan out the campaign's next pages of contacts (from the cursor stored on the campaign). */
  | { v: 1; kind: 'fanout'; tenant: string; campaignId: string }
  /** Remove the contacts of a deleted list, a page at a time. */
  | { v: 1; kind: 'purge-list'; tenant: string; listId: string };
