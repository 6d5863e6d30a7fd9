/**
 * The clicks per link of a campaign's messages: every click on each link, and the first click
 * of each recipient on it, as the stream counted them (report-store's link totals). The most
 * clicked link comes first.
 */
import { ValidationError } from '../domain/errors.ts';
import type { CampaignStore } from '../ports/campaign-store.ts';
import type { LinkCounts, ReportStore } from '../ports/report-store.ts';
import { requireCampaign } from './campaigns.ts';
import { pageLimit } from './lists.ts';

export interface CampaignLinksDeps {
  reports: ReportStore;
  campaigns: CampaignStore;
}

/** Most clicks first, then most unique clicks, then by URL: the same order on every read. */
function byClicks(a: LinkCounts, b: LinkCounts): number {
  return b.clicks - a.clicks || b.uniqueClicks - a.uniqueClicks || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0);
}

/** `GET /v1/campaigns/{id}/links?limit`: the `limit` most clicked links (100 by default). 404 `campaign_not_found`. */
export async function campaignLinks(deps: CampaignLinksDeps, tenant: string, rawId: string, query: Record<string, string>) {
  const unknown = Object.keys(query).filter((name) => name !== 'limit');
  if (unknown.length) {
    throw new ValidationError(
      'The query is invalid.',
      unknown.map((field) => ({ field, message: 'is not a parameter of this route' })),
    );
  }
  const limit = pageLimit(query.limit);
  const campaign = await requireCampaign(deps.campaigns, tenant, rawId);
  const links = (await deps.reports.links(tenant, campaign.id)).sort(byClicks);
  return {
    campaign_id: campaign.id,
    data: links.slice(0, limit).map((link) => ({ url: link.url, clicks: link.clicks, unique_clicks: link.uniqueClicks })),
    total_links: links.length,
  };
}
