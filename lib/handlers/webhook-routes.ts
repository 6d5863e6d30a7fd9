/** API routes of webhook endpoints and their delivery log: reading needs `read`, changes and sends need `admin`. */
import { jsonBody } from '../http/request.ts';
import { json, noContent } from '../http/response.ts';
import type { Route } from '../http/router.ts';
import * as docs from './route-docs/webhooks.ts';
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
      doc: docs.createWebhook,
      scope: 'admin',
      action: async ({ tenant, request }) => json(201, await createWebhook(deps, tenant, jsonBody(request))),
    },
    {
      method: 'GET',
      path: '/v1/webhooks',
      doc: docs.listWebhooks,
      scope: 'read',
      action: async ({ tenant, request }) => json(200, await listWebhooks(deps, tenant, request.query)),
    },
    {
      method: 'GET',
      path: '/v1/webhooks/{id}',
      doc: docs.getWebhook,
      scope: 'read',
      action: async ({ tenant, params }) => json(200, await getWebhook(deps, tenant, id(params))),
    },
    {
      method: 'PATCH',
      path: '/v1/webhooks/{id}',
      doc: docs.updateWebhook,
      scope: 'admin',
      action: async ({ tenant, params, request }) => json(200, await updateWebhook(deps, tenant, id(params), jsonBody(request))),
    },
    {
      method: 'DELETE',
      path: '/v1/webhooks/{id}',
      doc: docs.deleteWebhook,
      scope: 'admin',
      action: async ({ tenant, params }) => {
        await deleteWebhook(deps, tenant, id(params));
        return noContent();
      },
    },
    {
      method: 'POST',
      path: '/v1/webhooks/{id}/test',
      doc: docs.testWebhook,
      scope: 'admin',
      action: async ({ tenant, params }) => json(200, await testWebhook(deps, tenant, id(params))),
    },
    {
      method: 'POST',
      path: '/v1/webhooks/{id}/rotate-secret',
      doc: docs.rotateWebhookSecret,
      scope: 'admin',
      action: async ({ tenant, params }) => json(200, await rotateWebhookSecret(deps, tenant, id(params))),
    },
    {
      method: 'GET',
      path: '/v1/webhooks/{id}/deliveries',
      doc: docs.listWebhookDeliveries,
      scope: 'read',
      action: async ({ tenant, params, request }) => json(200, await listDeliveries(deps, tenant, id(params), request.query)),
    },
    {
      method: 'POST',
      path: '/v1/webhooks/{id}/deliveries/{deliveryId}/retry',
      doc: docs.retryWebhookDelivery,
      scope: 'admin',
      action: async ({ tenant, params }) => json(200, await retryDelivery(deps, tenant, id(params), params.deliveryId ?? '')),
    },
  ];
}
