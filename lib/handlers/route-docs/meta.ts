/** Description of the route that serves the OpenAPI document. */
import * as z from 'zod';
import { named } from '../../http/documents/registry.ts';
import type { RouteDoc } from '../../http/route-doc.ts';

/** An OpenAPI 3.1 document: only its frame is described here. */
const OPENAPI_DOCUMENT = named(
  'OpenApiDocument',
  z.looseObject({ openapi: z.string().startsWith('3.1.'), info: z.looseObject({}), paths: z.record(z.string(), z.unknown()) }),
);

export const getOpenApiDocument: RouteDoc = {
  operationId: 'getOpenApiDocument',
  tag: 'Meta',
  summary: 'This document: the API in OpenAPI 3.1',
  responses: { 200: { description: 'The document.', schema: OPENAPI_DOCUMENT } },
};
