/** API routes of campaigns and of list and campaign figures: sending needs `send`, reading needs `read`. */
import { UnprocessableError } from '../domain/errors.ts';
import { jsonBody, type ApiRequest } from '../http/request.ts';
import { json } from '../http/response.ts';
import type { Route } from '../http/router.ts';
import type { CampaignStore } from '../ports/campaign-store.ts';
import { createCampaign, getCampaign, listCampaigns } from '../use-cases/campaigns.ts';
import { idempotent } from '../use-cases/idempotent.ts';
import { campaignLinks } from '../use-cases/campaign-links.ts';
import { campaignStats, listStats } from '../use-cases/stats.ts';
import type { ApiDeps } from './api-handler.ts';
import { linkSigner, withPublicLinks } from './public-links.ts';
import * as campaigns from './route-docs/campaigns.ts';
import * as lists from './route-docs/lists.ts';

/** What the campaign routes need beyond the rest of the API. */
export interface CampaignRouteDeps {
  campaigns: CampaignStore;
}

/**
 * The base URL of a new campaign's links: MAILROOM_PUBLIC_URL, else the API's own URL. Every
 * campaign message carries a signed unsubscribe link, so the signing key must be readable now
 * (503 when it is not; 422 `unsubscribe_links_unavailable` when none is configured).
 */
async function campaignBaseUrl(deps: ApiDeps, request: ApiRequest): Promise<string> {
  if (!deps.publicLinks) {
    throw new UnprocessableError(
      'unsubscribe_links_unavailable',
      'Campaign messages carry signed unsubscribe links, and no link-signing key is configured (MAILROOM_LINK_SECRET_ARN or MAILROOM_LINK_SECRET).',
    );
  }
  await linkSigner(deps.publicLinks);
  const { links } = await withPublicLinks(deps, request);
  return links!.baseUrl;
}

/** The campaign routes and the stats of lists and campaigns. */
export function campaignRoutes(deps: ApiDeps & CampaignRouteDeps): Route[] {
  const id = (params: Record<string, string>) => params.id ?? '';
  return [
    {
      method: 'POST',
      path: '/v1/campaigns',
      scope: 'send',
      doc: campaigns.createCampaign,
      action: async ({ tenant, request }) => {
        const body = jsonBody(request);
        const answer = await idempotent(deps.idempotency, deps.clock, tenant, request.headers['idempotency-key'], body, async (ids) => ({
          status: 202,
          body: await createCampaign(deps, tenant, body, await campaignBaseUrl(deps, request), ids?.(0)),
        }));
        return json(answer.status, answer.body);
      },
    },
    {
      method: 'GET',
      path: '/v1/campaigns',
      scope: 'read',
      doc: campaigns.listCampaigns,
      action: async ({ tenant, request }) => json(200, await listCampaigns(deps, tenant, request.query)),
    },
    {
      method: 'GET',
      path: '/v1/campaigns/{id}',
      scope: 'read',
      doc: campaigns.getCampaign,
      action: async ({ tenant, params }) => json(200, await getCampaign(deps, tenant, id(params))),
    },
    {
      method: 'GET',
      path: '/v1/campaigns/{id}/stats',
      scope: 'read',
      doc: campaigns.getCampaignStats,
      action: async ({ tenant, params, request }) => json(200, await campaignStats(deps, tenant, id(params), request.query)),
    },
    {
      method: 'GET',
      path: '/v1/campaigns/{id}/links',
      scope: 'read',
      doc: campaigns.getCampaignLinks,
      action: async ({ tenant, params, request }) => json(200, await campaignLinks(deps, tenant, id(params), request.query)),
    },
    {
      method: 'GET',
      path: '/v1/lists/{id}/stats',
      scope: 'read',
      doc: lists.getListStats,
      action: async ({ tenant, params, request }) => json(200, await listStats(deps, tenant, id(params), request.query)),
    },
  ];
}
