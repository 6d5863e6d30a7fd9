/**
 * Inbound routes through the API (`/v1/inbound-routes`): create (the address or domain must be
 * under a domain the tenant registered, the endpoint its own), list, delete. Reading needs
 * `read`, changes need `admin`.
 */
import { parseRequest, zodProblems } from '../domain/field-problems.ts';
import { ValidationError } from '../domain/errors.ts';
import {
  INBOUND_ROUTE_INPUT,
  InboundRouteNotFoundError,
  matchDomain,
  parseRouteMatch,
  ROUTE_ID,
  routeView,
  type InboundRoute,
} from '../domain/inbound-route.ts';
import { domainAndParents } from '../domain/sending-domain.ts';
import { UnprocessableError } from '../domain/errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { DomainStore } from '../ports/domain-store.ts';
import type { InboundRouteStore } from '../ports/inbound-route-store.ts';
import type { WebhookStore } from '../ports/webhook-store.ts';
import { requireWebhook } from './webhooks.ts';

/** What the inbound route routes need. */
export interface InboundRouteDeps {
  inboundRoutes: InboundRouteStore;
  webhooks: Pick<WebhookStore, 'get'>;
  domains: Pick<DomainStore, 'owner'>;
  clock: Clock;
  newId: () => string;
}

/**
 * Routes an address or domain to one of the tenant's endpoints.
 * @throws ValidationError, WebhookNotFoundError, UnprocessableError `domain_not_registered`, InboundRouteTakenError
 */
export async function createInboundRoute(deps: InboundRouteDeps, tenant: string, body: unknown) {
  const parsed = parseRequest(INBOUND_ROUTE_INPUT, body);
  if (!parsed.success) throw new ValidationError('The route is invalid.', zodProblems(parsed.error));
  const match = parseRouteMatch(parsed.data.match);
  const webhook = await requireWebhook(deps.webhooks, tenant, parsed.data.webhook_id);
  const now = deps.clock.now();
  // Mail for a domain is the domain's owner's: only a tenant that registered it (or a parent) may route it.
  const owners = await Promise.all(domainAndParents(matchDomain(match)).map((d) => deps.domains.owner(d, now.getTime())));
  if (!owners.includes(tenant)) {
    throw new UnprocessableError('domain_not_registered', `Register the domain of "${match}" (or a parent of it) before routing its mail.`);
  }
  const route: InboundRoute = { tenant, id: deps.newId(), match, webhookId: webhook.id, createdAt: now.toISOString() };
  await deps.inboundRoutes.create(route);
  return routeView(route);
}

/** The tenant's routes, oldest first. */
export async function listInboundRoutes(deps: InboundRouteDeps, tenant: string) {
  return { data: (await deps.inboundRoutes.list(tenant)).map(routeView), next_cursor: null };
}

/** Deletes a route: its address or domain is no longer taken. @throws InboundRouteNotFoundError */
export async function deleteInboundRoute(deps: InboundRouteDeps, tenant: string, rawId: string): Promise<void> {
  const route = ROUTE_ID.test(rawId) ? await deps.inboundRoutes.get(tenant, rawId) : undefined;
  if (!route) throw new InboundRouteNotFoundError();
  await deps.inboundRoutes.delete(route);
}
