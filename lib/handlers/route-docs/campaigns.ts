/** Descriptions of the campaign and conversion routes. */
import { CAMPAIGN_REQUEST } from '../../domain/campaign.ts';
import { CAMPAIGN, CAMPAIGN_LINKS, CAMPAIGN_PAGE, CONVERSION } from '../../http/documents/campaigns.ts';
import { named } from '../../http/documents/registry.ts';
import { CAMPAIGN_STATS } from '../../http/documents/reports.ts';
import type { RouteDoc } from '../../http/route-doc.ts';
import { CONVERSION_REQUEST } from '../../use-cases/track.ts';
import { dayRange, IDEMPOTENCY_CONFLICT, PAGE_QUERY, SENDING_PAUSED } from './common.ts';

const CAMPAIGN_ID = 'the campaign’s id';
const NO_CAMPAIGN = '`campaign_not_found`: no campaign of that id for this tenant.';

export const createCampaign: RouteDoc = {
  operationId: 'createCampaign',
  tag: 'Campaigns',
  summary: 'Send a campaign to a list',
  description:
    'The templates (Handlebars) are compiled now, given as `subject` with `html`, `text` or both, or copied from a stored template named by `template_id` (the campaign records its id and version); the fan-out runs in the background, one message per subscribed contact. Every message carries a signed unsubscribe link.',
  idempotent: true,
  body: { schema: named('CampaignRequest', CAMPAIGN_REQUEST) },
  responses: { 202: { description: 'The campaign, sending.', schema: CAMPAIGN } },
  errors: {
    403: SENDING_PAUSED,
    404: '`list_not_found`: no list of that id for this tenant; `template_not_found`: `template_id` names no stored template of this tenant.',
    409: IDEMPOTENCY_CONFLICT,
    422: '`template_error`: a template does not compile (`details.part`, `details.line`); `unsubscribe_links_unavailable`: no link-signing key is configured; `domain_not_verified`: the sender’s domain is not verified.',
    503: '`service_unavailable`: the fan-out could not be queued, or the link-signing key read; nothing was sent.',
  },
};

export const listCampaigns: RouteDoc = {
  operationId: 'listCampaigns',
  tag: 'Campaigns',
  summary: 'List campaigns, newest first, without their templates',
  query: PAGE_QUERY,
  responses: { 200: { description: 'A page of campaigns.', schema: CAMPAIGN_PAGE } },
};

export const getCampaign: RouteDoc = {
  operationId: 'getCampaign',
  tag: 'Campaigns',
  summary: 'Read a campaign and its progress',
  params: { id: CAMPAIGN_ID },
  responses: { 200: { description: 'The campaign.', schema: CAMPAIGN } },
  errors: { 404: NO_CAMPAIGN },
};

export const getCampaignStats: RouteDoc = {
  operationId: 'getCampaignStats',
  tag: 'Campaigns',
  summary: 'The figures of a campaign’s messages over a range of days',
  params: { id: CAMPAIGN_ID },
  query: dayRange(false, '; from the campaign’s first day when absent'),
  responses: { 200: { description: 'The figures and the fan-out.', schema: CAMPAIGN_STATS } },
  errors: { 404: NO_CAMPAIGN },
};

export const getCampaignLinks: RouteDoc = {
  operationId: 'getCampaignLinks',
  tag: 'Campaigns',
  summary: 'The clicks per link of a campaign’s messages, most clicked first',
  description:
    'Counts the clicks on tracked links (campaigns with click tracking) since the campaign was sent: every click, and the first click of each recipient on each link. Figures appear as the events are counted, seconds after the clicks.',
  params: { id: CAMPAIGN_ID },
  query: { limit: { ...PAGE_QUERY.limit, description: 'links to show at most, the most clicked' } },
  responses: { 200: { description: 'The links and their clicks.', schema: CAMPAIGN_LINKS } },
  errors: { 404: NO_CAMPAIGN },
};

export const recordConversion: RouteDoc = {
  operationId: 'recordConversion',
  tag: 'Conversions',
  summary: 'Report a conversion',
  description:
    'Your site reports a conversion with the attribution token (`mr_cv`) mailroom added to the link the recipient followed. The same `id` counts once.',
  body: { schema: named('ConversionRequest', CONVERSION_REQUEST) },
  responses: { 202: { description: 'Recorded: what it was attributed to.', schema: CONVERSION } },
  errors: {
    404: '`not_found`: the token is not a valid attribution token of this tenant, or its message is gone.',
    422: '`links_not_configured`: no link-signing key is configured.',
    503: '`service_unavailable`: the link-signing key could not be read; retry.',
  },
};
