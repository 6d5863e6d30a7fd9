/** The parts of the OpenAPI document that no one route owns: its introduction, security, shared errors and headers. */
import { FUNCTIONS, MAX_IMPORT_BYTES, MAX_REQUEST_BYTES, MAX_SEND_REQUEST_BYTES } from '../topology.ts';

const KIB = 1024;

/**
 * `n` with its thousands grouped by commas (4,669,440), as `toLocaleString('en-US')` writes it
 * but without loading ICU's locale data, which costs a cold start some 10 ms.
 */
export function groupedDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** The document's `info`. */
export const API_INFO = {
  title: 'mailroom API',
  version: '1',
  summary: 'Send mail over HTTPS and follow what became of it.',
  description: [
    'Every route but this document needs `Authorization: Bearer <api key>`. A key belongs to one tenant and has scopes: ' +
      '`send`, `read` and `admin` (every scope). A tenant only ever sees its own data: another tenant’s is not found.',
    `Bodies are JSON (\`Content-Type: application/json\`), at most ${MAX_REQUEST_BYTES / KIB} KiB; sends, which may carry files in base64, at most ${groupedDigits(MAX_SEND_REQUEST_BYTES)} bytes ` +
      `(larger files are uploaded: \`POST /v1/attachments\`); contact imports ${MAX_IMPORT_BYTES / KIB / KIB} MiB, JSON or CSV.`,
    'Every error answer is `{"error": {"code", "message", "details"?}}`; a `400` lists each problem in `details` as ' +
      '`{"field", "message"}`. A known path with another method answers `405` with an `Allow` header; an unknown path `404 route_not_found`.',
    'Listings are paginated: `limit` (1 to 1000, 100 by default) and `cursor`, the previous page’s `next_cursor` (`null` on the last page).',
  ].join('\n\n'),
  license: { name: 'MIT', identifier: 'MIT' },
};

/** The security scheme: an API key sent as a bearer token; the scope a route needs is its requirement's role. */
export const SECURITY_SCHEME = {
  name: 'apiKey',
  scheme: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'mailroom API key (mr_…)',
    description:
      'An API key: `Authorization: Bearer mr_…`. Each operation names the scope it needs (`send`, `read` or `admin`); `admin` keys have every scope.',
  },
} as const;

/** The `Idempotency-Key` request header. */
export const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'The same key with the same body within 24 hours answers the first answer again and does nothing new; with another body: `409 idempotency_key_reused`. ' +
    `A request holds its key for a lease that outlasts the API’s ${FUNCTIONS.api.timeoutSeconds}-second timeout: the same request meanwhile gets \`409 idempotency_request_in_progress\`. ` +
    'A retry after the lease, or after a `5xx`, takes the key over, and what it creates gets the ids of the first try’s, so nothing is made twice; a `4xx` other than `422` frees the key.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[!-~]+$' },
};

export interface ErrorAnswer {
  /** Its name in `components.responses`. */
  name: string;
  description: string;
  headers?: Record<string, unknown>;
}

/** The error answers routes share, by status. */
export const ERROR_ANSWERS: Record<400 | 401 | 403 | 404 | 413 | 415 | 429 | 500 | 503, ErrorAnswer> = {
  400: {
    name: 'BadRequest',
    description:
      '`invalid_request`: the request is malformed or names invalid values; `details` lists each field and what is wrong with it.',
  },
  401: { name: 'Unauthorized', description: '`unauthorized`: no API key, or one that is malformed, unknown or revoked.' },
  403: { name: 'Forbidden', description: '`forbidden`: the key lacks the scope the route needs.' },
  404: { name: 'NotFound', description: '`not_found`: nothing of that name for this tenant.' },
  413: { name: 'PayloadTooLarge', description: '`payload_too_large`: the body is larger than the route takes.' },
  415: { name: 'UnsupportedMediaType', description: '`unsupported_media_type`: the body is not sent as JSON.' },
  429: {
    name: 'RateLimited',
    description: '`rate_limited`: the tenant made more requests this second than its limit allows.',
    headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer', minimum: 1 } } },
  },
  500: { name: 'InternalError', description: '`internal_error`: a fault inside mailroom; nothing internal is disclosed.' },
  503: {
    name: 'ServiceUnavailable',
    description: '`service_unavailable`: a dependency is unavailable; retry later (with the same `Idempotency-Key`).',
  },
};
