/** API routes of sending domains: all need the `admin` scope (they decide what the tenant may send as). */
import { jsonBody } from '../http/request.ts';
import { json, noContent } from '../http/response.ts';
import type { Route } from '../http/router.ts';
import { checkDomain, deleteDomain, listDomains, registerDomain, type DomainDeps } from '../use-cases/domains.ts';
import * as docs from './route-docs/domains.ts';

/** What the domain routes need beyond the rest of the API; absent: the routes answer 404 like unknown routes. */
export interface DomainRouteDeps {
  sendingDomains?: DomainDeps;
}

/** The sending-domain routes (none when the API is wired without them). */
export function domainRoutes(deps: DomainRouteDeps): Route[] {
  const domains = deps.sendingDomains;
  if (!domains) return [];
  const name = (params: Record<string, string>) => params.name ?? '';
  return [
    {
      method: 'POST',
      path: '/v1/domains',
      scope: 'admin',
      doc: docs.registerDomain,
      action: async ({ tenant, request }) => {
        const { created, domain } = await registerDomain(domains, tenant, jsonBody(request));
        return json(created ? 201 : 200, domain);
      },
    },
    {
      method: 'GET',
      path: '/v1/domains',
      scope: 'admin',
      doc: docs.listDomains,
      action: async ({ tenant, request }) => json(200, await listDomains(domains, tenant, request.query)),
    },
    {
      method: 'GET',
      path: '/v1/domains/{name}',
      scope: 'admin',
      doc: docs.checkDomain,
      action: async ({ tenant, params }) => json(200, await checkDomain(domains, tenant, name(params))),
    },
    {
      method: 'DELETE',
      path: '/v1/domains/{name}',
      scope: 'admin',
      doc: docs.deleteDomain,
      action: async ({ tenant, params }) => {
        await deleteDomain(domains, tenant, name(params));
        return noContent();
      },
    },
  ];
}
