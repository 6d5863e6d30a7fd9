/**
 * The HTTP API: authenticate, route, call the use case, map the answer. Built from ports so
 * the Lambda function and the local server run the very same code.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ApiKeyStore } from '../ports/api-key-store.ts';
import type { CampaignQueue } from '../ports/campaign-queue.ts';
import type { ContactStore, ListStore } from '../ports/list-store.ts';
import type { RateLimiter } from '../ports/rate-limiter.ts';
import { PayloadTooLargeError, RateLimitedError } from '../domain/errors.ts';
import type { UnsubscribeStore } from '../ports/unsubscribe-store.ts';
import type { IdempotencyStore } from '../ports/idempotency-store.ts';
import type { ReportStore } from '../ports/report-store.ts';
import { acceptBatch, acceptMessage, type AcceptDeps } from '../use-cases/accept-message.ts';
import { countRefused } from '../use-cases/acceptance-metrics.ts';
import { authenticate, requireScope } from '../use-cases/authenticate.ts';
import { cancelMessage } from '../use-cases/cancel-message.ts';
import { dailyReport } from '../use-cases/daily-report.ts';
import { createExport, getExport, type ExportApiDeps } from '../use-cases/exports.ts';
import type { ImportJobDeps } from '../use-cases/contact-import-jobs.ts';
import { report } from '../use-cases/reports.ts';
import { getMessage } from '../use-cases/get-message.ts';
import { getMessageContent } from '../use-cases/get-message-content.ts';
import { listMessages, type ListMessagesDeps } from '../use-cases/list-messages.ts';
import { idempotent } from '../use-cases/idempotent.ts';
import { deleteSuppression, getSuppression, listSuppressions, putSuppression } from '../use-cases/suppressions.ts';
import { jsonBody, readRequest, type ApiRequest } from '../http/request.ts';
import { MAX_SEND_REQUEST_BYTES } from '../topology.ts';
import { consoleAsset, isConsolePath } from '../http/console-assets.ts';
import { attachmentRoutes } from './attachment-routes.ts';
import { errorResponse, json, noContent, type ApiResponse } from '../http/response.ts';
import { MethodNotAllowedError, Router, type KeyRoute, type Route } from '../http/router.ts';
import { listRoutes } from './list-routes.ts';
import { openApiRoute } from './openapi-route.ts';
import { campaignRoutes, type CampaignRouteDeps } from './campaign-routes.ts';
import { conversionRoutes } from './conversion-routes.ts';
import { domainRoutes, type DomainRouteDeps } from './domain-routes.ts';
import { tenantRoutes, type TenantRouteDeps } from './tenant-routes.ts';
import { callerRoute } from './caller-route.ts';
import { templateRoutes, type TemplateRouteDeps } from './template-routes.ts';
import { webhookRoutes, type WebhookRouteDeps } from './webhook-routes.ts';
import { inboundRouteRoutes, type InboundRouteRouteDeps } from './inbound-route-routes.ts';
import { withPublicLinks, type PublicLinks } from './public-links.ts';
import * as messages from './route-docs/messages.ts';
import * as reports from './route-docs/reports.ts';
import { lambdaHandler, type HandlerTelemetry } from './lambda-handler.ts';

export interface ApiDeps
  extends
    AcceptDeps,
    ListMessagesDeps,
    ExportApiDeps,
    ImportJobDeps,
    CampaignRouteDeps,
    DomainRouteDeps,
    TenantRouteDeps,
    WebhookRouteDeps,
    InboundRouteRouteDeps,
    HandlerTelemetry {
  /** Stored templates: their routes, and sends and campaigns that name one. */
  templates: TemplateRouteDeps['templates'];
  apiKeys: ApiKeyStore;
  idempotency: IdempotencyStore;
  reports: ReportStore;
  /** Per-tenant request rate; absent or 0 per second: no limit. */
  rateLimiter?: RateLimiter;
  /** Campaign fan-out and list clean-up jobs. */
  campaignQueue: CampaignQueue;
  unsubscribes: UnsubscribeStore;
  lists: ListStore;
  contacts: ContactStore;
  /** The signed public links (tracked sends, conversions); absent when no link key is configured. */
  publicLinks?: PublicLinks;
  /** The web console's build, served at `/console/` (in AWS, from the function's bundle); absent: no console. */
  consoleDist?: string;
}

/**
 * A send's JSON body, which may carry files in base64: 413 past MAX_SEND_REQUEST_BYTES, saying how
 * to send larger files. A body refused here is a send rejected (acceptance-metrics.ts).
 */
function sendBody(deps: ApiDeps, request: ApiRequest): unknown {
  try {
    return jsonBody(request, true, MAX_SEND_REQUEST_BYTES);
  } catch (error) {
    countRefused(deps.metrics, error);
    if (!(error instanceof PayloadTooLargeError)) throw error;
    throw new PayloadTooLargeError(
      MAX_SEND_REQUEST_BYTES,
      'Upload larger files with POST /v1/attachments, PUT them to the upload_url it answers, and send them by attachment_id.',
    );
  }
}

function routes(deps: ApiDeps): Route[] {
  const send =
    (accept: typeof acceptMessage | typeof acceptBatch): KeyRoute['action'] =>
    async ({ request, tenant }) => {
      const body = sendBody(deps, request);
      const key = request.headers['idempotency-key'];
      const answer = await idempotent(deps.idempotency, deps.clock, tenant, key, body, async (ids) => ({
        status: 202,
        body: await accept(await withPublicLinks(deps, request), tenant, body, ids),
      }));
      return json(answer.status, answer.body);
    };
  return [
    { method: 'POST', path: '/v1/messages', scope: 'send', doc: messages.sendMessage, action: send(acceptMessage) },
    {
      method: 'GET',
      path: '/v1/messages',
      scope: 'read',
      doc: messages.listMessages,
      action: async ({ tenant, request }) => json(200, await listMessages(deps, tenant, request.query)),
    },
    { method: 'POST', path: '/v1/messages/batch', scope: 'send', doc: messages.sendBatch, action: send(acceptBatch) },
    {
      method: 'GET',
      path: '/v1/messages/{id}',
      scope: 'read',
      doc: messages.getMessage,
      action: async ({ tenant, params }) => json(200, await getMessage(deps, tenant, params.id ?? '')),
    },
    {
      method: 'GET',
      path: '/v1/messages/{id}/content',
      scope: 'read',
      doc: messages.getMessageContent,
      action: async ({ tenant, params }) => json(200, await getMessageContent(deps, tenant, params.id ?? '')),
    },
    {
      method: 'POST',
      path: '/v1/messages/{id}/cancel',
      scope: 'send',
      doc: messages.cancelMessage,
      action: async ({ tenant, params }) => json(200, await cancelMessage(deps, tenant, params.id ?? '')),
    },
    {
      method: 'GET',
      path: '/v1/suppressions',
      scope: 'read',
      doc: messages.listSuppressions,
      action: async ({ tenant, request }) => json(200, await listSuppressions(deps, tenant, request.query)),
    },
    {
      method: 'GET',
      path: '/v1/suppressions/{email}',
      scope: 'read',
      doc: messages.getSuppression,
      action: async ({ tenant, params }) => json(200, await getSuppression(deps, tenant, params.email ?? '')),
    },
    {
      method: 'PUT',
      path: '/v1/suppressions/{email}',
      scope: 'send',
      doc: messages.putSuppression,
      action: async ({ tenant, params, request }) =>
        json(200, await putSuppression(deps, tenant, params.email ?? '', jsonBody(request, false))),
    },
    {
      method: 'DELETE',
      path: '/v1/suppressions/{email}',
      scope: 'send',
      doc: messages.deleteSuppression,
      action: async ({ tenant, params }) => {
        await deleteSuppression(deps, tenant, params.email ?? '');
        return noContent();
      },
    },
    {
      method: 'GET',
      path: '/v1/reports',
      scope: 'read',
      doc: reports.getReport,
      action: async ({ tenant, request }) => json(200, await report(deps.reports, tenant, request.query)),
    },
    {
      method: 'GET',
      path: '/v1/reports/daily',
      scope: 'read',
      doc: reports.getDailyReport,
      action: async ({ tenant, request }) => json(200, await dailyReport(deps.reports, tenant, request.query)),
    },
    {
      method: 'POST',
      path: '/v1/exports',
      scope: 'read',
      doc: reports.createExport,
      action: async ({ tenant, request }) => json(202, await createExport(deps, tenant, jsonBody(request))),
    },
    {
      method: 'GET',
      path: '/v1/exports/{id}',
      scope: 'read',
      doc: reports.getExport,
      action: async ({ tenant, params }) => json(200, await getExport(deps, tenant, params.id ?? '')),
    },
    ...attachmentRoutes(deps),
    ...listRoutes(deps),
    ...campaignRoutes(deps),
    ...templateRoutes(deps),
    ...conversionRoutes(deps),
    ...domainRoutes(deps),
    ...tenantRoutes(deps),
    callerRoute(deps),
    ...webhookRoutes(deps),
    ...inboundRouteRoutes(deps),
  ];
}

/** Every route of the API, the OpenAPI document's own included. */
export function apiRoutes(deps: ApiDeps): Route[] {
  const all: Route[] = [...routes(deps), openApiRoute(() => all)];
  return all;
}

/**
 * The routes as the OpenAPI document describes the API: every group of routes, as if every
 * optional part (such as sending domains) were configured. For their descriptions only: their
 * actions have no dependencies to call.
 */
export function describedRoutes(): Route[] {
  // Any dependency a route builder looks at is there, so that no group is left out.
  const anything = new Proxy({}, { get: () => ({}) }) as ApiDeps;
  return apiRoutes(anything);
}

/** 429 when the tenant's requests this second are spent. A limiter that fails lets the request through. */
async function limitRate(deps: ApiDeps, tenant: string): Promise<void> {
  if (!deps.rateLimiter || deps.rateLimiter.limitPerSecond <= 0) return;
  let wait: number;
  try {
    wait = await deps.rateLimiter.take(tenant);
  } catch (error) {
    deps.log.warn('rate limiter unavailable; request let through', { error: String(error) });
    return;
  }
  if (wait > 0) throw new RateLimitedError(deps.rateLimiter.limitPerSecond, wait);
}

/** Builds the API handler (API Gateway HTTP API, payload format 2.0). */
export function createApiHandler(deps: ApiDeps) {
  const router = new Router(apiRoutes(deps));
  const handle = async (event: APIGatewayProxyEventV2): Promise<ApiResponse> => {
    const request = readRequest(event);
    if (deps.consoleDist && isConsolePath(request.path) && (request.method === 'GET' || request.method === 'HEAD')) {
      const asset = await consoleAsset(deps.consoleDist, request.path);
      return { statusCode: asset.status, headers: asset.headers, body: asset.body.toString('utf8') };
    }
    const { route, params } = router.match(request.method, request.path);
    if (route.scope === 'public') return route.action({ request, params });
    const principal = await authenticate(deps.apiKeys, request.headers.authorization);
    if (route.scope !== 'any') requireScope(principal, route.scope);
    await limitRate(deps, principal.tenant);
    return route.action({ request, params, tenant: principal.tenant, principal });
  };
  return lambdaHandler(handle, deps.middlewares).onError(async (request) => {
    const error = request.error;
    const response = errorResponse(error);
    if (error instanceof MethodNotAllowedError) response.headers.allow = error.allow.join(', ');
    if (response.statusCode >= 500) {
      // The error itself, which the logger writes out with its name, message, stack and causes
      // (a `message` field would be dropped: the log line's own message has that name).
      deps.log.error('request failed', { error, path: request.event.rawPath });
    }
    request.response = response;
  });
}
