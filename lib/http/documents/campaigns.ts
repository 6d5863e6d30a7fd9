/** Answers of the campaign and conversion routes. */
import * as z from 'zod';
import { CAMPAIGN_STATUSES } from '../../domain/campaign.ts';
import { pageOf, TIMESTAMP } from './common.ts';
import { named } from './registry.ts';
import { TEMPLATE_VERSION } from './templates.ts';

const count = z.int().min(0);

/** A campaign; the templates (`html`, `text`) are shown when it is read on its own, not in listings. */
export const CAMPAIGN = named(
  'Campaign',
  z.strictObject({
    id: z.string(),
    list_id: z.string(),
    name: z.string().optional(),
    status: z.enum(CAMPAIGN_STATUSES),
    from: z.string(),
    reply_to: z.array(z.string()).optional(),
    subject: z.string().describe('a template'),
    template: TEMPLATE_VERSION.optional().describe('the stored template (`template_id`) the parts were copied from'),
    html: z.string().optional(),
    text: z.string().optional(),
    tags: z.record(z.string(), z.string()),
    tracking: z.strictObject({ opens: z.boolean(), clicks: z.boolean() }),
    progress: z.strictObject({
      contacts: count.describe('contacts read'),
      queued: count.describe('messages created and handed to delivery'),
      skipped_unsubscribed: count,
      skipped_suppressed: count,
      failed: count.describe('contacts whose message could not be built'),
    }),
    created_at: TIMESTAMP,
    updated_at: TIMESTAMP,
    finished_at: TIMESTAMP.optional(),
    error: z.string().optional().describe('why the fan-out failed'),
  }),
);

export const CAMPAIGN_PAGE = pageOf('CampaignPage', CAMPAIGN);

/** The clicks per link of a campaign, most clicked first. */
export const CAMPAIGN_LINKS = named(
  'CampaignLinks',
  z.strictObject({
    campaign_id: z.string(),
    data: z.array(
      z.strictObject({
        url: z.string().describe('the link as the campaign’s messages had it, before click tracking rewrote it'),
        clicks: count.describe('every click, machines’ included'),
        unique_clicks: count.describe('recipients who clicked it, each counted once'),
      }),
    ),
    total_links: count.describe('links clicked at least once; `data` holds the first `limit`'),
  }),
);

/** `202` for a conversion: what it was attributed to. */
export const CONVERSION = named(
  'Conversion',
  z.strictObject({
    message_id: z.string(),
    recipient: z.string(),
    list: z.string().optional(),
    campaign: z.string().optional(),
    conversion_id: z.string(),
    value: z.number().optional(),
    currency: z.string().optional(),
  }),
);
