/**
 * The OpenAPI document: valid OpenAPI 3.1 for an independent validator (Redocly), one operation
 * for each route of the API handler's router and for nothing else, and served without a key.
 * A route it cannot describe stops the document from being built.
 */
import { createConfig, lintFromString } from '@redocly/openapi-core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { apiRoutes, createApiHandler, describedRoutes, type ApiDeps } from '../../../lib/handlers/api-handler.ts';
import { OPENAPI_PATH } from '../../../lib/handlers/openapi-route.ts';
import { named } from '../../../lib/http/documents/registry.ts';
import { openApiDocument, RouteDocError, type OpenApiDocument } from '../../../lib/http/openapi.ts';
import { groupedDigits } from '../../../lib/http/openapi-parts.ts';
import type { ApiResponse } from '../../../lib/http/response.ts';
import type { Route } from '../../../lib/http/router.ts';
import { apiEvent } from '../../integration/api/events.ts';

const document = openApiDocument(describedRoutes());

/** Redocly's strictest built-in rules: problems as `rule pointer: message`. */
async function lint(doc: unknown): Promise<string[]> {
  const config = await createConfig({
    extends: ['recommended-strict'],
    // The document's own route answers no client error: there is none it could make.
    rules: { 'operation-4xx-response': 'off' },
  });
  const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: '/openapi.json', config });
  return problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`);
}

const operations = (doc: OpenApiDocument) =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 with no problems under Redocly’s recommended-strict rules', async () => {
    expect(document.openapi).toBe('3.1.0');
    expect(await lint(document)).toEqual([]);
  });

  it('is checked by a validator that finds a broken schema', async () => {
    const broken = structuredClone(document);
    (broken.components.schemas.Message as { type: string }).type = 'thing';
    expect((await lint(broken)).join('\n')).toContain('struct #/components/schemas/Message/type');
  });

  it('has an operation for every route of the router, with its method, path and scope, and nothing else', () => {
    // The very table the handler's router is built from.
    const routes = apiRoutes(new Proxy({}, { get: () => ({}) }) as ApiDeps);
    const described = operations(document).map((o) => `${o.method} ${o.path}`);
    expect(described.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of routes) {
      const operation = document.paths[route.path]![route.method.toLowerCase()]!;
      expect(operation.security, `${route.method} ${route.path}`).toEqual(
        route.scope === 'public' ? [] : [{ apiKey: route.scope === 'any' ? [] : [route.scope] }],
      );
      const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const inPath = ((operation.parameters ?? []) as { in?: string; name?: string }[]).filter((p) => p.in === 'path');
      expect(inPath.map((p) => p.name)).toEqual(params);
    }
  });

  it('names its scope, its errors and their document on every route that needs a key', () => {
    for (const { method, path, operation } of operations(document)) {
      if (operation.security.length === 0) continue;
      // A route that any key may call (an empty scope list) cannot answer 403.
      const statuses = operation.security[0]!.apiKey!.length ? ['401', '403', '429', '500'] : ['401', '429', '500'];
      expect(Object.keys(operation.responses), `${method} ${path}`).toEqual(expect.arrayContaining(statuses));
      expect(
        Object.keys(operation.responses).some((status) => /^2/.test(status)),
        `${method} ${path}`,
      ).toBe(true);
    }
    expect(document.components.schemas.ErrorDocument).toMatchObject({ required: ['error'], additionalProperties: false });
    expect(document.components.securitySchemes).toEqual({ apiKey: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
  });

  it('describes request bodies with the schemas that validate them', () => {
    const send = document.paths['/v1/messages']!.post!;
    expect(send.requestBody).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/SendRequest' } } } });
    // The subject is required unless a stored template gives it: parseSendInput checks which.
    expect(document.components.schemas.SendRequest).toMatchObject({
      required: ['from', 'to'],
      additionalProperties: false,
      properties: {
        subject: { type: 'string', maxLength: 998 },
        template: { required: ['id'], additionalProperties: false },
        send_at: { type: 'string' },
        attachments: { type: 'array', maxItems: 100, items: { $ref: '#/components/schemas/SendAttachment' } },
      },
    });
    expect(document.components.schemas.SendAttachment).toMatchObject({
      additionalProperties: false,
      properties: { disposition: { enum: ['attachment', 'inline'] } },
    });
    const listing = document.paths['/v1/suppressions']!.get!.parameters as { name: string; schema: unknown }[];
    expect(listing.find((p) => p.name === 'limit')?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 1000, default: 100 });
  });
  it('describes the answers a request chooses between: a result or a job, queued or scheduled, a cancel too late, a message too large', () => {
    const imports = document.paths['/v1/lists/{id}/contacts/import']!.post!;
    expect(imports.responses['200']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ImportResult' } } },
    });
    expect(imports.responses['202']).toMatchObject({
      headers: { Location: { required: true, schema: { type: 'string' } } },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ImportJob' } } },
    });
    expect(imports.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Prefer', in: 'header', required: false })]),
    );
    expect(document.components.schemas.AcceptedMessage).toMatchObject({ properties: { status: { enum: ['queued', 'scheduled'] } } });
    expect(document.components.schemas.MessageStatus).toMatchObject({ enum: expect.arrayContaining(['scheduled', 'canceled']) });
    expect(document.paths['/v1/messages/{id}/cancel']!.post!.responses['409']).toMatchObject({
      description: expect.stringContaining('not_cancelable'),
    });
    const send = document.paths['/v1/messages']!.post!.responses;
    expect(send['413']).toMatchObject({ description: expect.stringMatching(/payload_too_large.*message_too_large/) });
    expect(send['404']).toMatchObject({ description: expect.stringContaining('template_not_found') });
  });
});

describe('a route the document cannot describe', () => {
  const route = (doc: Partial<Route['doc']>, path = '/v1/things/{id}'): Route => ({
    method: 'GET',
    path,
    scope: 'read',
    doc: { operationId: 'getThing', tag: 'Messages', summary: 'Read a thing', params: { id: 'its id' }, responses: {}, ...doc },
    action: async () => ({ statusCode: 204, headers: {}, body: '' }),
  });
  const ok = { responses: { 204: { description: 'Nothing.' } } };

  it.each<[string, Partial<Route['doc']>, string | undefined, RegExp]>([
    ['without a summary', { ...ok, summary: ' ' }, undefined, /GET \/v1\/things\/\{id\}: no summary/],
    ['with an undescribed path parameter', { ...ok, params: {} }, undefined, /path parameter \{id\} is not described/],
    ['describing a parameter its path lacks', { ...ok, params: { id: 'x', other: 'y' } }, undefined, /describes \{other\}/],
    ['without an answer', {}, undefined, /no success answer/],
    ['with an unnamed schema', { responses: { 200: { description: 'x', schema: z.object({}) } } }, undefined, /has no name/],
  ])('stops the document: a route %s', (_, doc, path, error) => {
    expect(() => openApiDocument([route(doc, path)])).toThrow(error);
  });

  it('stops the document when two routes share an operation id', () => {
    const a = route(ok);
    const b = { ...route(ok), method: 'DELETE' };
    expect(() => openApiDocument([a, b])).toThrow(RouteDocError);
  });

  it('takes a named schema of a new route as a component', () => {
    const thing = named('ThingForTest', z.strictObject({ id: z.string() }));
    const doc = openApiDocument([route({ responses: { 200: { description: 'The thing.', schema: thing } } })]);
    expect(doc.components.schemas.ThingForTest).toEqual({
      type: 'object',
      properties: { id: { type: 'string' } },
      required: ['id'],
      additionalProperties: false,
    });
  });
});

describe(`GET ${OPENAPI_PATH}`, () => {
  // No dependency is used: the routes are matched before a key is read, and this one reads none.
  // Every dependency an empty object, but the optional middlewares: none.
  const handler = createApiHandler(new Proxy({}, { get: (_target, name) => (name === 'middlewares' ? undefined : {}) }) as ApiDeps);
  const call = async (method: string, path: string) => (await handler(apiEvent(method, path), {} as Context)) as ApiResponse;

  it('serves the document without an API key, cacheable by anyone', async () => {
    const answer = await call('GET', OPENAPI_PATH);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' });
    expect(JSON.parse(answer.body as string)).toEqual(document);
  });

  it('matches every documented operation to a route that then asks for a key', async () => {
    for (const { method, path, operation } of operations(document)) {
      const answer = await call(method, path.replace(/\{\w+\}/g, 'x'));
      expect(answer.statusCode, `${method} ${path}`).toBe(operation.security.length ? 401 : 200);
    }
  });
});

describe('groupedDigits', () => {
  it('groups thousands as en-US does', () => {
    for (const n of [0, 7, 999, 1000, 65_536, 4_669_440, 1_000_000_000]) expect(groupedDigits(n)).toBe(n.toLocaleString('en-US'));
  });
});
