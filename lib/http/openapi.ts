/**
 * The OpenAPI 3.1 document of the API, built from the routes themselves: each route's method,
 * path, scope and description (Route.doc), and the zod schemas it names, converted with
 * `z.toJSONSchema`. A route the document cannot describe (no summary, a path parameter without
 * a description, an unnamed schema, an operation id used twice) is an error here, so the
 * document never leaves a route out.
 */
import * as z from 'zod';
import { ERROR_DOCUMENT } from './documents/common.ts';
import { API_SCHEMAS, schemaName } from './documents/registry.ts';
import { API_INFO, ERROR_ANSWERS, IDEMPOTENCY_KEY, SECURITY_SCHEME, type ErrorAnswer } from './openapi-parts.ts';
import { API_TAGS, type ErrorStatus, type RouteDoc } from './route-doc.ts';
import type { Route } from './router.ts';

/** A JSON Schema, or any other part of the document. */
type Json = Record<string, unknown>;

/** One operation of the document (the fields the tests and clients read are typed). */
export interface OpenApiOperation extends Json {
  operationId: string;
  summary: string;
  security: Record<string, string[]>[];
  responses: Record<string, Json>;
}

export interface OpenApiDocument extends Json {
  openapi: '3.1.0';
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json>; parameters?: Record<string, Json> } & Json;
}

const SCHEMA_URI = '#/components/schemas/';
const JSON_OPTIONS = { io: 'input', target: 'draft-2020-12', unrepresentable: 'throw' } as const;

/** Thrown when a route cannot be described. */
export class RouteDocError extends Error {
  constructor(route: Pick<Route, 'method' | 'path'>, problem: string) {
    super(`${route.method} ${route.path}: ${problem}`);
    this.name = 'RouteDocError';
  }
}

function ref(route: Route, schema: z.ZodType, what: string): Json {
  const name = schemaName(schema);
  if (!name) throw new RouteDocError(route, `${what} has no name: name it with named() (lib/http/documents/registry.ts)`);
  return { $ref: `${SCHEMA_URI}${name}` };
}

/** A standalone schema (a query value), without the `$schema` header. */
function inline(schema: z.ZodType): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, JSON_OPTIONS) as Json;
  return rest;
}

/** The names of the schemas `part` refers to. */
function refsOf(part: unknown): string[] {
  return [...JSON.stringify(part).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
}

/** The named schemas `parts` refer to, and those they refer to in turn, in name order: `components.schemas`. */
function componentSchemas(...parts: unknown[]): Record<string, Json> {
  const { schemas } = z.toJSONSchema(API_SCHEMAS, { ...JSON_OPTIONS, uri: (id) => `${SCHEMA_URI}${id}` });
  const wanted = new Set(parts.flatMap(refsOf));
  for (const name of wanted) for (const next of refsOf(schemas[name])) wanted.add(next);
  const entries = [...wanted].sort().map((id) => {
    const { $schema: _s, $id: _i, ...rest } = schemas[id] as Json;
    // Definitions local to one schema would be resolved against the document's root.
    if ('$defs' in rest) throw new Error(`schema ${id} has $defs: name the schema it repeats`);
    return [id, rest] as const;
  });
  return Object.fromEntries(entries);
}

function checkDoc(route: Route): RouteDoc {
  const doc = route.doc as RouteDoc | undefined;
  if (!doc || !doc.summary?.trim()) throw new RouteDocError(route, 'no summary: describe the route in Route.doc');
  if (!/^[a-z][A-Za-z0-9]*$/.test(doc.operationId ?? '')) throw new RouteDocError(route, 'operationId must be camelCase');
  if (!Object.keys(doc.responses).length) throw new RouteDocError(route, 'no success answer described');
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const described = Object.keys(doc.params ?? {});
  for (const name of names) if (!doc.params?.[name]?.trim()) throw new RouteDocError(route, `path parameter {${name}} is not described`);
  for (const name of described) if (!names.includes(name)) throw new RouteDocError(route, `describes {${name}}, which the path lacks`);
  return doc;
}

/** A reference to the error document's schema. */
function errorDocumentRef(): Json {
  return { $ref: `${SCHEMA_URI}${schemaName(ERROR_DOCUMENT)}` };
}

function errorAnswer(status: number, own: string | undefined, used: Set<ErrorAnswer>): Json {
  const standard: ErrorAnswer | undefined = ERROR_ANSWERS[status as keyof typeof ERROR_ANSWERS];
  if (!own && standard) {
    used.add(standard);
    return { $ref: `#/components/responses/${standard.name}` };
  }
  return {
    description: own ?? `Error ${status}.`,
    ...(standard?.headers && { headers: standard.headers }),
    content: { 'application/json': { schema: errorDocumentRef() } },
  };
}

/** The error statuses of a route: its own, and those every route of its kind shares. */
function errorStatuses(route: Route, doc: RouteDoc): number[] {
  const own = Object.keys(doc.errors ?? {}).map(Number) as ErrorStatus[];
  const shared: number[] = [500];
  if (route.scope !== 'public') shared.push(401, 429);
  if (route.scope !== 'public' && route.scope !== 'any') shared.push(403);
  if (doc.body || doc.query) shared.push(400);
  if (doc.body) shared.push(413, 415);
  if (doc.params) shared.push(404);
  return [...new Set([...own, ...shared])].sort((a, b) => a - b);
}

function operation(route: Route, doc: RouteDoc, used: Set<ErrorAnswer>): OpenApiOperation {
  const parameters = [
    ...Object.entries(doc.params ?? {}).map(([name, description]) => ({
      name,
      in: 'path',
      required: true,
      description,
      schema: { type: 'string' },
    })),
    ...Object.entries(doc.query ?? {}).map(([name, q]) => ({
      name,
      in: 'query',
      required: q.required ?? false,
      description: q.description,
      schema: inline(q.schema),
    })),
    ...Object.entries(doc.headers ?? {}).map(([name, h]) => ({
      name,
      in: 'header',
      required: h.required ?? false,
      description: h.description,
      schema: inline(h.schema),
    })),
    ...(doc.idempotent ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
  ];
  const scope =
    route.scope === 'public'
      ? 'No API key is needed.'
      : route.scope === 'any'
        ? 'Needs an API key, of any scope.'
        : `Needs an API key with the \`${route.scope}\` scope (or \`admin\`).`;
  const responses: Record<string, Json> = {};
  for (const [status, answer] of Object.entries(doc.responses)) {
    responses[status] = {
      description: answer.description,
      ...(answer.headers && {
        headers: Object.fromEntries(
          Object.entries(answer.headers).map(([name, h]) => [
            name,
            { description: h.description, required: h.required ?? false, schema: inline(h.schema) },
          ]),
        ),
      }),
      ...(answer.schema && { content: { 'application/json': { schema: ref(route, answer.schema, `the ${status} answer`) } } }),
    };
  }
  for (const status of errorStatuses(route, doc))
    responses[String(status)] = errorAnswer(status, doc.errors?.[status as ErrorStatus], used);
  const body = doc.body;
  return {
    operationId: doc.operationId,
    tags: [doc.tag],
    summary: doc.summary,
    description: [doc.description, scope].filter(Boolean).join('\n\n'),
    security: route.scope === 'public' ? [] : [{ [SECURITY_SCHEME.name]: route.scope === 'any' ? [] : [route.scope] }],
    ...(parameters.length && { parameters }),
    ...(body && {
      requestBody: {
        required: body.required ?? true,
        ...((body.description || body.csv) && {
          description: [body.description, body.csv && `As \`text/csv\`: ${body.csv}`].filter(Boolean).join('\n\n'),
        }),
        content: {
          'application/json': { schema: ref(route, body.schema, 'the body') },
          ...(body.csv && { 'text/csv': { schema: { type: 'string' } } }),
        },
      },
    }),
    responses,
  };
}

/** The document of `routes`. Throws RouteDocError for a route it cannot describe. */
export function openApiDocument(routes: readonly Route[]): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const ids = new Set<string>();
  const used = new Set<ErrorAnswer>();
  for (const route of routes) {
    const doc = checkDoc(route);
    if (ids.has(doc.operationId)) throw new RouteDocError(route, `operationId ${doc.operationId} is used twice`);
    ids.add(doc.operationId);
    const methods = (paths[route.path] ??= {});
    const method = route.method.toLowerCase();
    if (methods[method]) throw new RouteDocError(route, 'the route is listed twice');
    methods[method] = operation(route, doc, used);
  }
  const tags = new Set(routes.map((r) => r.doc.tag));
  const errorDocument = errorDocumentRef();
  const responses = Object.fromEntries(
    Object.values(ERROR_ANSWERS)
      .filter((answer) => used.has(answer))
      .map((answer) => [
        answer.name,
        {
          description: answer.description,
          ...(answer.headers && { headers: answer.headers }),
          content: { 'application/json': { schema: errorDocument } },
        },
      ]),
  );
  return {
    openapi: '3.1.0',
    info: API_INFO,
    // Relative: the host that serves the document (paths start with /v1).
    servers: [{ url: '/', description: 'the host that serves this document' }],
    tags: Object.entries(API_TAGS)
      .filter(([name]) => tags.has(name as keyof typeof API_TAGS))
      .map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: componentSchemas(paths, errorDocument),
      responses,
      ...(routes.some((r) => r.doc.idempotent) && { parameters: { IdempotencyKey: IDEMPOTENCY_KEY } }),
      securitySchemes: { [SECURITY_SCHEME.name]: SECURITY_SCHEME.scheme },
    },
  };
}
