/** `GET /v1/key`: the calling key's tenant and scopes, so that a client shows only what the key may do. */
import { json } from '../http/response.ts';
import type { KeyRoute } from '../http/router.ts';
import { isOperator } from './tenant-access.ts';
import * as tenants from './route-docs/tenants.ts';

/** The route; any valid key may call it. */
export function callerRoute(deps: { operatorTenant: string }): KeyRoute {
  return {
    method: 'GET',
    path: '/v1/key',
    scope: 'any',
    doc: tenants.getCaller,
    action: async ({ principal }) =>
      json(200, {
        tenant: principal.tenant,
        key_id: principal.keyId ?? null,
        scopes: principal.scopes,
        operator: isOperator(principal, deps.operatorTenant),
      }),
  };
}
