/**
 * Checks real API answers against the OpenAPI document: the operation of a request's method
 * and path, the answer its status is documented with, and that answer's schema (ajv, JSON
 * Schema 2020-12, the dialect of OpenAPI 3.1). Unknown routes and 405s answer the error
 * document.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { OpenApiDocument, OpenApiOperation } from '../../lib/http/openapi.ts';

/** The base of the schemas' ids in ajv. */
const SCHEMA_ID = 'https://mailroom.invalid/schemas/';

interface Found {
  template: string;
  operation: OpenApiOperation;
}

/** A checker of the answers of the API `document` describes; it remembers which operations it saw. */
export class AnswerChecker {
  /** operationId → statuses seen. */
  readonly seen = new Map<string, Set<number>>();
  private readonly ajv: Ajv2020;
  private readonly templates: { method: string; template: string; pattern: RegExp; params: number; operation: OpenApiOperation }[];

  constructor(private readonly document: OpenApiDocument) {
    // Formats are left to the patterns zod writes beside them (date-time, date); the rest are not checked.
    this.ajv = new Ajv2020({
      strict: true,
      allowUnionTypes: true,
      allErrors: true,
      formats: { 'date-time': true, date: true, uri: true, email: true },
    });
    // Each component schema on its own, its references to the others rewritten to their ids.
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      const text = JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${SCHEMA_ID}`);
      this.ajv.addSchema({ ...JSON.parse(text), $id: `${SCHEMA_ID}${name}` });
    }
    this.templates = Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}/?$`),
        params: (template.match(/\{/g) ?? []).length,
        operation,
      })),
    );
  }

  /** The operation for a request: a literal segment wins over a parameter, as in the router. */
  find(method: string, path: string): Found | undefined {
    const matches = this.templates.filter((t) => t.method === method.toUpperCase() && t.pattern.test(path));
    matches.sort((a, b) => a.params - b.params);
    return matches[0] && { template: matches[0].template, operation: matches[0].operation };
  }

  /** What is wrong with an answer of `method path` (query string left out): one line per problem, none when it is as documented. */
  problems(method: string, path: string, status: number, body: unknown): string[] {
    const where = `${method} ${path} ${status}`;
    const found = this.find(method, path);
    if (!found) return status === 404 || status === 405 ? this.validate(where, 'ErrorDocument', body) : [`${where}: no such operation`];
    const { operation } = found;
    const statuses = this.seen.get(operation.operationId) ?? new Set<number>();
    this.seen.set(operation.operationId, statuses.add(status));
    let answer = operation.responses[String(status)] as { $ref?: string; content?: Record<string, { schema: { $ref: string } }> };
    if (!answer) return [`${where}: status ${status} is not documented for ${operation.operationId}`];
    if (answer.$ref) answer = this.document.components.responses[answer.$ref.split('/').pop()!] as typeof answer;
    const schema = answer.content?.['application/json']?.schema.$ref;
    if (!schema) return body === undefined ? [] : [`${where}: documented without a body, answered ${JSON.stringify(body)}`];
    return this.validate(where, schema.split('/').pop()!, body);
  }

  private validate(where: string, name: string, body: unknown): string[] {
    const validate = this.ajv.getSchema(`${SCHEMA_ID}${name}`);
    if (!validate) return [`${where}: no schema ${name}`];
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${where} (${name}): ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }
}
