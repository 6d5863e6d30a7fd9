/** API routes of stored templates: reading (and rendering a preview) needs `read`, changes need `send`. */
import { jsonBody } from '../http/request.ts';
import { json, noContent } from '../http/response.ts';
import type { Route } from '../http/router.ts';
import type { TemplateStore } from '../ports/template-store.ts';
import { createTemplate, deleteTemplate, getTemplate, listTemplates, renderTemplate, replaceTemplate } from '../use-cases/templates.ts';
import type { ApiDeps } from './api-handler.ts';
import * as templates from './route-docs/templates.ts';

/** What the template routes need beyond the rest of the API. */
export interface TemplateRouteDeps {
  templates: TemplateStore;
}

/** The template routes. */
export function templateRoutes(deps: ApiDeps): Route[] {
  const id = (params: Record<string, string>) => params.id ?? '';
  return [
    {
      method: 'POST',
      path: '/v1/templates',
      scope: 'send',
      doc: templates.createTemplate,
      action: async ({ tenant, request }) => json(201, await createTemplate(deps, tenant, jsonBody(request))),
    },
    {
      method: 'GET',
      path: '/v1/templates',
      scope: 'read',
      doc: templates.listTemplates,
      action: async ({ tenant, request }) => json(200, await listTemplates(deps, tenant, request.query)),
    },
    {
      method: 'GET',
      path: '/v1/templates/{id}',
      scope: 'read',
      doc: templates.getTemplate,
      action: async ({ tenant, params }) => json(200, await getTemplate(deps, tenant, id(params))),
    },
    {
      method: 'PUT',
      path: '/v1/templates/{id}',
      scope: 'send',
      doc: templates.replaceTemplate,
      action: async ({ tenant, params, request }) => json(200, await replaceTemplate(deps, tenant, id(params), jsonBody(request))),
    },
    {
      method: 'DELETE',
      path: '/v1/templates/{id}',
      scope: 'send',
      doc: templates.deleteTemplate,
      action: async ({ tenant, params }) => {
        await deleteTemplate(deps, tenant, id(params));
        return noContent();
      },
    },
    {
      // A preview changes nothing: reading keys may render.
      method: 'POST',
      path: '/v1/templates/{id}/render',
      scope: 'read',
      doc: templates.renderTemplate,
      action: async ({ tenant, params, request }) => json(200, await renderTemplate(deps, tenant, id(params), jsonBody(request, false))),
    },
  ];
}
