/** API routes of webhook endpoints and their delivery log: reading needs `read`, changes and sends need `admin`. */
import { jsonBody } from '../http/request.ts';
import { json, noContent } from '../http/response.ts';
import type { Route } from '../http/router.ts';
import { listDeliveries, retryDelivery, testWebhook, type WebhookDeliveryDeps } from '../use-cases/webhook-deliveries.ts';
import { createWebhook, deleteWebhook, getWebhook, listWebhooks, rotateWebhookSecret, updateWebhook } from '../use-cases/webhooks.ts';

/** What the webhook routes need beyond the rest of the API. */
export type WebhookRouteDeps = WebhookDeliveryDeps;

/** The webhook routes. */
export function webhookRoutes(deps: WebhookRouteDeps): Route[] {
  const id = (params: Record<string, string>) => params.id ?? '';
  return [
    {
      method: 'POST',
      path: '/v1/webhooks',
      scope: 'admin',
      action: async ({ tenant, request }) => json(201, await createWebhook(deps, tenant, jsonBody(request))),
    },
    {
      method: 'GET',
      path: '/v1/webhooks',
      scope: 'read',
      action: async ({ tenant, request }) => json(200, await listWebhooks(deps, tenant, request.query)),
    },
    {
      method: 'GET',
      path: '/v1/webhooks/{id}',
      scope: 'read',
      action: async ({ tenant, params }) => json(200, await getWebhook(deps, tenant, id(params))),
    },
    {
      method: 'PATCH',
      path: '/v1/webhooks/{id}',
      scope: 'admin',
      action: async ({ tenant, params, request }) => json(200, await updateWebhook(deps, tenant, id(params), jsonBody(request))),
    },
    {
      method: 'DELETE',
      path: '/v1/webhooks/{id}',
      scope: 'admin',
      action: async ({ tenant, params }) => {
        await deleteWebhook(deps, tenant, id(params));
        return noContent();
      },
    },
    {
      method: 'POST',
      path: '/v1/webhooks/{id}/test',
      scope: 'admin',
      action: async ({ tenant, params }) => json(200, await testWebhook(deps, tenant, id(params))),
    },
    {
      method: 'POST',
      path: '/v1/webhooks/{id}/rotate-secret',
      scope: 'admin',
      action: async ({ tenant, params }) => json(200, await rotateWebhookSecret(deps, tenant, id(params))),
    },
    {
      method: 'GET',
      path: '/v1/webhooks/{id}/deliveries',
      scope: 'read',
      action: async ({ tenant, params, request }) => json(200, await listDeliveries(deps, tenant, id(params), request.query)),
    },
    {
      method: 'POST',
      path: '/v1/webhooks/{id}/deliveries/{deliveryId}/retry',
      scope: 'admin',
      action: async ({ tenant, params }) => json(200, await retryDelivery(deps, tenant, id(params), params.deliveryId ?? '')),
    },
  ];
}
