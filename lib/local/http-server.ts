/**
 * The local HTTP front: `/v1/*` goes to the API handler exactly as API Gateway would call
 * the Lambda, and the public links (`/t/*`, `/u/*`) to the track handler; `/mailbox` shows
 * what the capture relay received, `/console/` the web console, `/notifications` the delivery notifications, and
 * `/local/exports/…`, `PUT /local/uploads/…` and `POST /local/ses-events` stand in for S3 downloads, S3
 * uploads and SES events. The local pages and
 * `/local/ses-events` answer only requests whose `Host` names this machine (local-host.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { errorDocument, INTERNAL_ERROR } from '../domain/errors.ts';
import { FUNCTIONS } from '../topology.ts';
import { readBody, toApiEvent } from './api-event.ts';
import type { CaptureSmtp } from './capture-smtp.ts';
import type { FolderBlobStore } from '../adapters/fs/folder-blob-store.ts';
import { DOWNLOAD_PREFIX } from '../adapters/fs/url-signature.ts';
import { serveExportDownload } from './export-downloads.ts';
import type { FolderAttachmentStore } from '../adapters/fs/folder-attachment-store.ts';
import { UPLOAD_PREFIX } from '../adapters/fs/upload-links.ts';
import { serveUpload } from './attachment-uploads.ts';
import { lambdaContext, type LocalHandler } from './lambda-context.ts';
import { MAILBOX_CSP, renderMail, renderMailbox } from './mailbox-page.ts';
import { isLocalHost } from './local-host.ts';
import { SES_EVENTS_PATH, serveSesEvents } from './ses-events-route.ts';
import { CONSOLE_PATH, consoleAsset, isConsolePath } from '../http/console-assets.ts';

export interface HttpServerOptions {
  port: number;
  api: LocalHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;
  capture?: CaptureSmtp;
  /** Recent delivery notifications, as subscribers of the SNS topic would get them. */
  notifications?: () => unknown[];
  /** Export files, served at `/local/exports/…` through signed, expiring links only. */
  exports?: FolderBlobStore;
  /** Attachments, uploaded by PUT to `/local/uploads/…` through signed, expiring links only. */
  attachments?: FolderAttachmentStore;
  /** The ses-events handler, fed SES event records posted to `/local/ses-events`. */
  sesEvents?: LocalHandler<SQSEvent, SQSBatchResponse>;
  /** The track handler, fed the public link routes `/t/…` (clicks, pixels) and `/u/…` (unsubscribe). */
  track?: LocalHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;
  /** The console's build folder, served at `/console/` (absent: no console). */
  consoleDist?: string;
  onError?: (error: unknown) => void;
}

const NOT_LOCAL = JSON.stringify({
  error: { code: 'host_not_allowed', message: 'Local pages answer requests addressed to localhost or 127.0.0.1 only.' },
});

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

/** Sends a handler's result as API Gateway would, binary bodies (the pixels) included. */
function sendResult(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  const body = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  res.writeHead(result.statusCode ?? 200, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}

async function mailbox(req: IncomingMessage, res: ServerResponse, capture: CaptureSmtp | undefined): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const html = { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': MAILBOX_CSP };
  if (!capture) return send(res, 404, html, '<p>The mailbox is off: mail goes to a real relay (MAILROOM_RELAY).</p>');
  if (path === '/mailbox' || path === '/mailbox/') return send(res, 200, html, renderMailbox(capture.messages()));
  if (path === '/mailbox/messages.json') return send(res, 200, { 'content-type': 'application/json' }, JSON.stringify(capture.messages()));
  const mail = capture.get(decodeURIComponent(path.slice('/mailbox/'.length)));
  return mail ? send(res, 200, html, renderMail(mail)) : send(res, 404, html, '<p>No such message.</p>');
}

/** Starts the server on 127.0.0.1. */
export async function startHttpServer(options: HttpServerOptions): Promise<{ server: Server; port: number; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const work = async () => {
      if (path === '/') return send(res, 302, { location: options.consoleDist ? `${CONSOLE_PATH}/` : '/mailbox' }, '');
      if (options.consoleDist && isConsolePath(path)) {
        const answer = await consoleAsset(options.consoleDist, path);
        res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
        return void res.end(req.method === 'HEAD' ? undefined : answer.body);
      }
      if (path === '/health') return send(res, 200, { 'content-type': 'application/json' }, '{"ok":true}');
      // Local mode's own pages and routes: for requests addressed to this machine only (DNS rebinding).
      if ((path.startsWith('/mailbox') || path === '/notifications' || path === SES_EVENTS_PATH) && !isLocalHost(req.headers.host))
        return send(res, 403, { 'content-type': 'application/json' }, NOT_LOCAL);
      if (path.startsWith('/mailbox')) return mailbox(req, res, options.capture);
      if (path.startsWith(DOWNLOAD_PREFIX)) return serveExportDownload(req, res, options.exports);
      if (path.startsWith(UPLOAD_PREFIX) && options.attachments) return serveUpload(req, res, options.attachments);
      if (path === SES_EVENTS_PATH)
        return serveSesEvents(req, (status, headers, body) => send(res, status, headers, body), options.sesEvents);
      if (options.track && (path.startsWith('/t/') || path.startsWith('/u/'))) {
        const event = toApiEvent(req, await readBody(req));
        return sendResult(
          res,
          await options.track(event, lambdaContext('track', FUNCTIONS.track.timeoutSeconds, FUNCTIONS.track.memoryMb)),
        );
      }
      if (path === '/notifications') {
        return send(res, 200, { 'content-type': 'application/json' }, JSON.stringify(options.notifications?.() ?? [], null, 2));
      }
      const event = toApiEvent(req, await readBody(req));
      const result = await options.api(event, lambdaContext('api', FUNCTIONS.api.timeoutSeconds, FUNCTIONS.api.memoryMb));
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
      const body = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64').toString('utf8') : (result.body ?? '');
      send(res, result.statusCode ?? 200, headers, body);
    };
    work().catch((error) => {
      options.onError?.(error);
      if (!res.headersSent) send(res, 500, { 'content-type': 'application/json' }, JSON.stringify(errorDocument(INTERNAL_ERROR)));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    stop: () =>
      new Promise((resolve) => {
        server.closeIdleConnections();
        server.close(() => resolve());
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      }),
  };
}
