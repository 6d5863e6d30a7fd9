import type { InboundRoute } from '../domain/inbound-route.ts';

/** Inbound routes: each match belongs to one route. */
export interface InboundRouteStore {
  /** Stores a new route. @throws InboundRouteTakenError when its match is routed already */
  create(route: InboundRoute): Promise<void>;
  /** The tenant's routes, oldest first (a few). */
  list(tenant: string): Promise<InboundRoute[]>;
  get(tenant: string, id: string): Promise<InboundRoute | undefined>;
  /** Removes the route and frees its match. */
  delete(route: InboundRoute): Promise<void>;
  /** The route of the first of `keys` (most specific first) that has one. */
  find(keys: string[]): Promise<InboundRoute | undefined>;
}
