/**
 * Inbound routes: a tenant routes an address (`support@in.acme.example`) or a whole domain
 * (`in.acme.example`) to one of its webhook endpoints; mail arriving there is parsed and
 * delivered to it as an `inbound.received` event. An address or domain is routed by one tenant
 * only, and only under a domain the tenant registered.
 */
import * as z from 'zod';
import { asciiDomain, domainOf } from './address.ts';
import { ConflictError, NotFoundError, ValidationError } from './errors.ts';

/** The type of the webhook event an inbound route delivers. */
export const INBOUND_EVENT_TYPE = 'inbound.received';

/** Route ids are ULIDs. */
export const ROUTE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** The stored route. */
export interface InboundRoute {
  tenant: string;
  id: string;
  /** A lower-case address, or a lower-case ASCII domain (every address under it). */
  match: string;
  webhookId: string;
  createdAt: string;
}

/** `POST /v1/inbound-routes`. */
export const INBOUND_ROUTE_INPUT = z.strictObject({
  match: z
    .string()
    .min(3)
    .max(254)
    .describe('an address (`support@in.acme.example`) or a domain (`in.acme.example`: every address under it)'),
  webhook_id: z.string().describe('the webhook endpoint that receives `inbound.received` events'),
});

/** The route's match in its stored form. @throws ValidationError */
export function parseRouteMatch(raw: string): string {
  const value = raw.trim().toLowerCase();
  const invalid = () =>
    new ValidationError('The route is invalid.', [{ field: 'match', message: 'must be an address (local@domain) or a domain name' }]);
  const at = value.lastIndexOf('@');
  if (at < 0) {
    const domain = asciiDomain(value);
    if (!domain) throw invalid();
    return domain;
  }
  const local = value.slice(0, at);
  const domain = asciiDomain(value.slice(at + 1));
  if (!domain || !/^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/.test(local) || local.startsWith('.') || local.endsWith('.')) throw invalid();
  return `${local}@${domain}`;
}

/** The domain a match is under. */
export function matchDomain(match: string): string {
  return match.includes('@') ? domainOf(match) : match;
}

/** What an arriving address may be routed by, most specific first: the address, then its domain. */
export function routeKeys(address: string): string[] {
  const lower = address.trim().toLowerCase();
  return [lower, domainOf(lower)];
}

/** 409 `inbound_route_taken`: the address or domain is routed already (by this tenant or another). */
export class InboundRouteTakenError extends ConflictError {
  constructor(match: string) {
    super('inbound_route_taken', `"${match}" is routed already; delete that route first.`);
  }
}

/** 404: no route of that id for the tenant. */
export class InboundRouteNotFoundError extends NotFoundError {
  constructor() {
    super('Inbound route');
  }
}

/** The API's view of a route. */
export function routeView(route: InboundRoute) {
  return { id: route.id, match: route.match, webhook_id: route.webhookId, created_at: route.createdAt };
}
