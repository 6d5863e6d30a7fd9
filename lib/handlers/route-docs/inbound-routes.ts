/** Descriptions of the inbound route routes. */
import { INBOUND_ROUTE_INPUT } from '../../domain/inbound-route.ts';
import { named } from '../../http/documents/registry.ts';
import { INBOUND_ROUTE, INBOUND_ROUTE_PAGE } from '../../http/documents/inbound-routes.ts';
import type { RouteDoc } from '../../http/route-doc.ts';

const DELIVERED =
  'Mail arriving at the address (or anywhere under the domain) is parsed and delivered to the endpoint as an `inbound.received` event: from, to, subject, text, html, headers, attachments as download links, and the spam, virus, SPF, DKIM and DMARC verdicts; signed and retried like every webhook. The domain’s MX must point at mailroom’s inbound service.';

export const createInboundRoute: RouteDoc = {
  operationId: 'createInboundRoute',
  tag: 'Inbound',
  summary: 'Route an address or a domain to a webhook endpoint',
  description: DELIVERED,
  body: { schema: named('InboundRouteInput', INBOUND_ROUTE_INPUT) },
  responses: { 201: { description: 'The route.', schema: INBOUND_ROUTE } },
  errors: {
    400: '`invalid_request`: `match` is no address or domain, or a field is missing.',
    404: '`webhook_not_found`: no endpoint of that id for this tenant.',
    409: '`inbound_route_taken`: the address or domain is routed already.',
    422: '`domain_not_registered`: the tenant has not registered the domain (or a parent of it).',
  },
};

export const listInboundRoutes: RouteDoc = {
  operationId: 'listInboundRoutes',
  tag: 'Inbound',
  summary: 'List the routes, oldest first',
  responses: { 200: { description: 'Every route of the tenant.', schema: INBOUND_ROUTE_PAGE } },
};

export const deleteInboundRoute: RouteDoc = {
  operationId: 'deleteInboundRoute',
  tag: 'Inbound',
  summary: 'Delete a route',
  description: 'Mail arriving there afterwards is refused (`550`).',
  params: { id: 'the route’s id' },
  responses: { 204: { description: 'Deleted.' } },
  errors: { 404: '`not_found`: no route of that id for this tenant.' },
};
