/**
 * The public link routes (API Gateway HTTP API, payload 2.0), reached from mail without an
 * API key: the signed token in the path is the only credential.
 *
 * - `GET /t/c/{token}`: a click → 302 to the signed URL (with `mr_cv`); a token that is not
 *   genuine → 404 page, never a redirect.
 * - `GET /t/o/{token}`: the open pixel → always the 1x1 GIF; records only for genuine tokens.
 * - `GET /t/v/{token}?value=&currency=&id=`: the conversion pixel → always the GIF.
 * - `GET /u/{token}`: the unsubscribe page (a GET changes nothing: link scanners fetch GETs).
 * - `POST /u/{token}`: `List-Unsubscribe=One-Click` (RFC 8058) or any other body without an
 *   `action` unsubscribes from the list at once → 200; the page's forms post
 *   `action=unsubscribe&scope=list|marketing` or `action=resubscribe&scope=…` → a page
 *   confirming, with the way back.
 *
 * `HEAD` is answered like `GET` and records nothing.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { MailroomError, NotFoundError } from '../domain/errors.ts';
import { readRequest, type ApiRequest } from '../http/request.ts';
import type { ApiResponse } from '../http/response.ts';
import {
  click,
  describeUnsubscribe,
  open,
  parseConversionQuery,
  recordConversion,
  resubscribe,
  unsubscribe,
  type Hit,
  type TrackDeps,
  type UnsubscribeScope,
} from '../use-cases/track.ts';
import {
  badRequestPage,
  errorPage,
  notFoundPage,
  PAGE_HEADERS,
  resubscribedPage,
  unsubscribedPage,
  unsubscribePage,
} from './track-pages.ts';
import { lambdaHandler, type HandlerTelemetry } from './lambda-handler.ts';

export type TrackHandlerDeps = TrackDeps & HandlerTelemetry;

/** A transparent 1x1 GIF. */
const PIXEL = 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
/** Longest form body a POST to an unsubscribe link may have. */
const MAX_FORM_BYTES = 16 * 1024;

const NO_STORE = { 'cache-control': 'no-store, no-cache, must-revalidate, max-age=0', pragma: 'no-cache', expires: '0' };
const ROUTE = /^\/(t\/c|t\/o|t\/v|u)\/([^/]+)\/?$/;
const METHODS: Record<string, string[]> = {
  't/c': ['GET', 'HEAD'],
  't/o': ['GET', 'HEAD'],
  't/v': ['GET', 'HEAD'],
  u: ['GET', 'HEAD', 'POST'],
};

function html(statusCode: number, body: string, headers: Record<string, string> = {}): ApiResponse {
  return { statusCode, headers: { ...PAGE_HEADERS, ...headers }, body };
}

function pixel(): ApiResponse {
  return {
    statusCode: 200,
    headers: { 'content-type': 'image/gif', ...NO_STORE, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' },
    body: PIXEL,
    isBase64Encoded: true,
  };
}

function redirect(location: string): ApiResponse {
  // No Referer to the destination: the tracking URL stays with mailroom.
  return { statusCode: 302, headers: { location, ...NO_STORE, 'referrer-policy': 'no-referrer' }, body: '' };
}

/** Fields of a form body: URL-encoded (RFC 8058 one-click, HTML forms) or multipart/form-data. */
export function formFields(body: string, contentType = ''): Record<string, string> {
  const fields: Record<string, string> = {};
  const boundary = /^multipart\/form-data\b.*?;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  if (boundary) {
    for (const part of body.split(`--${boundary[1] ?? boundary[2]}`)) {
      const split = part.indexOf('\r\n\r\n');
      if (split < 0) continue;
      const name = /content-disposition:[^\r\n]*?\bname="([^"]*)"/i.exec(part.slice(0, split))?.[1];
      if (name !== undefined && !(name in fields)) fields[name] = part.slice(split + 4).replace(/\r\n$/, '');
    }
    return fields;
  }
  for (const [name, value] of new URLSearchParams(body)) if (!(name in fields)) fields[name] = value;
  return fields;
}

function hitOf(event: APIGatewayProxyEventV2, request: ApiRequest): Hit {
  const userAgent = request.headers['user-agent'];
  const ipAddress = event.requestContext?.http?.sourceIp;
  return {
    id: event.requestContext?.requestId || randomUUID(),
    ...(userAgent !== undefined && { userAgent }),
    ...(ipAddress && { ipAddress }),
  };
}

function scopeOf(value: string | undefined): UnsubscribeScope {
  return value === 'marketing' ? 'marketing' : 'list';
}

async function unsubscribeRoute(deps: TrackDeps, request: ApiRequest, token: string): Promise<ApiResponse> {
  if (request.method !== 'POST') return html(200, unsubscribePage(await describeUnsubscribe(deps, token)));
  if (Buffer.byteLength(request.body, 'utf8') > MAX_FORM_BYTES) return html(413, badRequestPage());
  const fields = formFields(request.body, request.headers['content-type']);
  switch (fields.action) {
    case undefined: {
      // RFC 8058 one-click: the POST itself is the request, whatever else it carries.
      const done = await unsubscribe(deps, token, 'list');
      return html(200, unsubscribedPage(done, done.scope));
    }
    case 'unsubscribe': {
      const done = await unsubscribe(deps, token, scopeOf(fields.scope));
      return html(200, unsubscribedPage(done, done.scope));
    }
    case 'resubscribe': {
      const done = await resubscribe(deps, token, scopeOf(fields.scope));
      return html(200, resubscribedPage(done, done.scope));
    }
    default:
      // A genuine token is still required before saying anything else.
      await describeUnsubscribe(deps, token);
      return html(400, badRequestPage());
  }
}

/** Builds the handler of the public link routes. */
export function createTrackHandler(deps: TrackHandlerDeps) {
  const handle = async (event: APIGatewayProxyEventV2): Promise<ApiResponse> => {
    const request = readRequest(event);
    const route = ROUTE.exec(request.path);
    if (!route) return html(404, notFoundPage());
    const [, kind = '', token = ''] = route;
    const allowed = METHODS[kind] ?? [];
    if (!allowed.includes(request.method)) return html(405, badRequestPage(), { allow: allowed.join(', ') });
    const record = request.method !== 'HEAD';
    const hit = hitOf(event, request);
    switch (kind) {
      case 't/c':
        return redirect((await click(deps, token, hit, { record })).location);
      case 't/o':
        if (record) await open(deps, token, hit);
        return pixel();
      case 't/v':
        if (record) {
          try {
            await recordConversion(deps, parseConversionQuery(token, request.query));
          } catch (error) {
            if (!(error instanceof MailroomError)) throw error;
            deps.log.info('conversion pixel refused', { code: error.code, reason: error.message });
          }
        }
        return pixel();
      default:
        return unsubscribeRoute(deps, request, token);
    }
  };
  return lambdaHandler(handle, deps.middlewares).onError(async (request) => {
    const error = request.error;
    if (error instanceof NotFoundError) {
      request.response = html(404, notFoundPage());
      return;
    }
    if (error instanceof MailroomError && error.status < 500) {
      request.response = html(error.status, badRequestPage());
      return;
    }
    // The error itself: the logger writes out its name, message, stack and causes.
    deps.log.error('public link request failed', { error, path: request.event.rawPath });
    // The pixels answer with the image whatever happened; pages say to try again.
    request.response = /^\/t\/[ov]\//.test(request.event.rawPath ?? '') ? pixel() : html(500, errorPage());
  });
}
