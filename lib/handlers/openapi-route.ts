/**
 * `GET /v1/openapi.json`: the API's OpenAPI 3.1 document, built from the router's own routes
 * on the first request and kept. It needs no API key, so tools can read it before they have one.
 */
import { openApiDocument } from '../http/openapi.ts';
import type { ApiResponse } from '../http/response.ts';
import type { PublicRoute, Route } from '../http/router.ts';
import { getOpenApiDocument } from './route-docs/meta.ts';

/** The route's path. */
export const OPENAPI_PATH = '/v1/openapi.json';

/** The route serving the document of `routes()` (this route included). */
export function openApiRoute(routes: () => readonly Route[]): PublicRoute {
  let body: string | undefined;
  return {
    method: 'GET',
    path: OPENAPI_PATH,
    scope: 'public',
    doc: getOpenApiDocument,
    action: async (): Promise<ApiResponse> => {
      body ??= JSON.stringify(openApiDocument(routes()));
      return {
        statusCode: 200,
        // Public and the same for every caller: cacheable, and readable from any origin (API explorers).
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'public, max-age=300',
          'access-control-allow-origin': '*',
        },
        body,
      };
    },
  };
}
