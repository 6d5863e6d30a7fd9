/** API routes of inbound routes: reading needs `read`, changes need `admin`. */
import { jsonBody } from '../http/request.ts';
import { json, noContent } from '../http/response.ts';
import type { Route } from '../http/router.ts';
import * as docs from './route-docs/inbound-routes.ts';
import { createInboundRoute, deleteInboundRoute, listInboundRoutes, type InboundRouteDeps } from '../use-cases/inbound-routes.ts';

/** What the inbound route routes need; absent: the API has no such routes. */
export interface InboundRouteRouteDeps {
  inboundRouting?: InboundRouteDeps;
}

/** The inbound route routes. */
export function inboundRouteRoutes(deps: InboundRouteRouteDeps): Route[] {
  const routing = deps.inboundRouting;
  if (!routing) return [];
  return [
    {
      method: 'POST',
      path: '/v1/inbound-routes',
      doc: docs.createInboundRoute,
      scope: 'admin',
      action: async ({ tenant, request }) => json(201, await createInboundRoute(routing, tenant, jsonBody(request))),
    },
    {
      method: 'GET',
      path: '/v1/inbound-routes',
      doc: docs.listInboundRoutes,
      scope: 'read',
      action: async ({ tenant }) => json(200, await listInboundRoutes(routing, tenant)),
    },
    {
      method: 'DELETE',
      path: '/v1/inbound-routes/{id}',
      doc: docs.deleteInboundRoute,
      scope: 'admin',
      action: async ({ tenant, params }) => {
        await deleteInboundRoute(routing, tenant, params.id ?? '');
        return noContent();
      },
    },
  ];
}
