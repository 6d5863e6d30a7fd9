/** Reading an API Gateway HTTP API (payload 2.0) request: method, path, headers, JSON body. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MailroomError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../domain/errors.ts';
import { MAX_REQUEST_BYTES } from '../topology.ts';

/** Deepest JSON nesting accepted; mailroom's documents need 3 levels. */
export const MAX_JSON_DEPTH = 16;

export interface ApiRequest {
  method: string;
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  query: Record<string, string>;
  /** Raw body text ('' when none). */
  body: string;
}

/** The parts of the event mailroom uses. */
export function readRequest(event: APIGatewayProxyEventV2): ApiRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) if (value !== undefined) query[name] = value;
  const raw = event.body ?? '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  return {
    method: (event.requestContext?.http?.method ?? 'GET').toUpperCase(),
    path: event.rawPath ?? '/',
    headers,
    query,
    body,
  };
}

function depth(value: unknown): number {
  // Iterative, so that a hostile document cannot exhaust the stack.
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [node, level] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    max = Math.max(max, level);
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(node as object)) stack.push([child, level + 1]);
  }
  return max;
}

/** The raw body text (e.g. CSV): 413 past `maxBytes`. */
export function textBody(request: ApiRequest, maxBytes: number): string {
  if (Buffer.byteLength(request.body, 'utf8') > maxBytes) throw new PayloadTooLargeError(maxBytes);
  return request.body;
}

/** The JSON body: 413 past the size limit (`maxBytes`, MAX_REQUEST_BYTES by default), 415 when not JSON, 400 when malformed or too deep. */
export function jsonBody(request: ApiRequest, required = true, maxBytes = MAX_REQUEST_BYTES): unknown {
  textBody(request, maxBytes);
  if (request.body.trim() === '') {
    if (!required) return undefined;
    throw new ValidationError('The request body is empty.', [{ field: '(body)', message: 'a JSON object is required' }]);
  }
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) throw new UnsupportedMediaTypeError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body);
  } catch (error) {
    if (error instanceof MailroomError) throw error;
    throw new ValidationError('The request body is not valid JSON.', [{ field: '(body)', message: 'is not valid JSON' }]);
  }
  if (depth(parsed) > MAX_JSON_DEPTH) {
    throw new ValidationError('The request body is nested too deeply.', [{ field: '(body)', message: `at most ${MAX_JSON_DEPTH} levels` }]);
  }
  return parsed;
}
