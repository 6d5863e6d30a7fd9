/** Turns a Node HTTP request into the API Gateway HTTP API event (payload 2.0) Lambda would get. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MAX_IMPORT_BYTES, MAX_REQUEST_BYTES, MAX_SEND_REQUEST_BYTES } from '../topology.ts';

/** Reads the body, stopping one byte past the largest body a route takes (the handler answers 413). */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const keep = Math.max(MAX_REQUEST_BYTES, MAX_IMPORT_BYTES, MAX_SEND_REQUEST_BYTES) + 1;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    // Exactly `keep` bytes of a longer body: fewer would hand the handler a cut body within the limit.
    chunks.push((chunk as Buffer).subarray(0, keep - size));
    size += (chunk as Buffer).length;
    if (size >= keep) break;
  }
  return Buffer.concat(chunks);
}

/** The event for a request; headers are lower-cased and repeated ones joined by commas, as API Gateway does. */
export function toApiEvent(request: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  const now = new Date();
  const method = request.method ?? 'GET';
  const text = body.toString('utf8');
  const binary = !Buffer.from(text, 'utf8').equals(body);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length && { queryStringParameters: query }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket?.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length && { body: binary ? body.toString('base64') : text }),
    isBase64Encoded: body.length > 0 && binary,
  };
}
