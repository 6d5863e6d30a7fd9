/**
 * The HTTP handler of local mode's emulator clients: one `http.request` per call over a
 * keep-alive agent, the answer read whole into a buffer. The SDK's own handler also arms
 * connection and socket timers, listens for `100 Continue` and hands the answer over as a stream
 * that the SDK then collects: work that costs every request CPU and that an emulator on
 * loopback, answering small JSON bodies, has no use for.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/** The request as the SDK hands it over (its HttpRequest). */
export interface SdkHttpRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | (string | null)[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/** The answer as the SDK takes it (its HttpResponse). */
export interface SdkHttpResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Longest an emulator may take to answer before the request fails (long polls take at most 20 s). */
export const EMULATOR_ANSWER_TIMEOUT_MS = 60_000;

function queryString(query: SdkHttpRequest['query']): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      parts.push(one === null ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(one)}`);
    }
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function timeoutError(): Error {
  const error = new Error(`the emulator did not answer within ${EMULATOR_ANSWER_TIMEOUT_MS} ms`);
  // The name the SDK's retry strategy treats as a transient failure.
  error.name = 'TimeoutError';
  return error;
}

/** An SDK request handler for plain HTTP to an emulator on this machine. */
export class LoopbackRequestHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 50 });

  handle(request: SdkHttpRequest, options: { abortSignal?: { aborted: boolean } } = {}): Promise<{ response: SdkHttpResponse }> {
    // The SDK's type of the signal is older than the DOM's; what callers pass is Node's AbortSignal.
    const abortSignal = options.abortSignal as AbortSignal | undefined;
    if (abortSignal?.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          agent: this.#agent,
          protocol: request.protocol,
          host: request.hostname,
          ...(request.port !== undefined && { port: request.port }),
          method: request.method,
          path: request.path + queryString(request.query),
          headers: request.headers,
          timeout: EMULATOR_ANSWER_TIMEOUT_MS,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () =>
            resolve({
              response: {
                statusCode: incoming.statusCode ?? 0,
                ...(incoming.statusMessage !== undefined && { reason: incoming.statusMessage }),
                headers: flatHeaders(incoming.headers),
                body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
              },
            }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.on('timeout', () => outgoing.destroy(timeoutError()));
      if (abortSignal) {
        const onAbort = () => outgoing.destroy(abortError());
        abortSignal.addEventListener('abort', onAbort, { once: true });
        outgoing.on('close', () => abortSignal.removeEventListener('abort', onAbort));
      }
      outgoing.end(request.body as string | Uint8Array | undefined);
    });
  }

  updateHttpClientConfig(): void {
    // Nothing to configure.
  }

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    this.#agent.destroy();
  }
}

function abortError(): Error {
  const error = new Error('Request aborted');
  error.name = 'AbortError';
  return error;
}
