/** A factory for the API Gateway HTTP API (payload 2.0) events the API handler receives. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface ApiEventOptions {
  /** Query string parameters, as API Gateway hands them over. */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON (with `content-type: application/json` unless set). */
  body?: unknown;
  /** `Authorization: Bearer <key>` when given. */
  key?: string;
  base64?: boolean;
}

/** An event for `method path`, shaped like the ones API Gateway gives Lambda. */
export function apiEvent(method: string, path: string, options: ApiEventOptions = {}): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = { host: 'api.example.test', 'user-agent': 'mailroom-tests', ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  const now = new Date();
  const rawQueryString = new URLSearchParams(options.query ?? {}).toString();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString,
    headers,
    ...(options.query && { queryStringParameters: options.query }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api-test',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'mailroom-tests' },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body !== undefined && { body: options.base64 ? Buffer.from(body, 'utf8').toString('base64') : body }),
    isBase64Encoded: Boolean(options.base64 && body !== undefined),
  };
}
