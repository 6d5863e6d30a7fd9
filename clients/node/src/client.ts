/**
 * A small typed client of the mailroom API over `fetch`: `request(method, path, init)` takes
 * any route of the API, with its path parameters, query, body and answer typed from the
 * OpenAPI document (schema.ts), and a few shorthands for sending.
 */
import { errorFromAnswer } from './errors.ts';
import type { AcceptedMessage, BatchRequest, BatchResult, Message, SendRequest } from './schema.ts';
import type { InitArgs, Method, Operation, PathsWith, RequestInit, Success } from './request-types.ts';

export interface MailroomClientOptions {
  /**
   * The API's base URL: local mode's `http://127.0.0.1:3000`, or the stack output `ApiUrl`.
   * A trailing `/` or `/v1` is ignored.
   */
  url: string;
  /** An API key (`mr_…`). */
  apiKey: string;
  /** The `fetch` to use; the global one by default. */
  fetch?: typeof fetch;
  /** Headers sent with every request (a `User-Agent`, for instance). */
  headers?: Record<string, string>;
}

/** `{name}` segments of `path` replaced by the URL-encoded values of `params`. */
function fillPath(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`path parameter ${name} is missing`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query: Record<string, unknown> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== null) search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A client of one mailroom API with one key. */
export class MailroomClient {
  private readonly base: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: MailroomClientOptions) {
    if (!options.url) throw new TypeError('url is required: the mailroom API’s base URL');
    if (!options.apiKey) throw new TypeError('apiKey is required');
    this.base = options.url.replace(/\/+$/, '').replace(/\/v1$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /**
   * Calls `method path`: resolves with the answer's body (undefined for 204), rejects with a
   * MailroomApiError for an error answer.
   */
  async request<M extends Method, P extends PathsWith<M>>(
    method: M,
    path: P,
    ...[init]: InitArgs<Operation<P, M>>
  ): Promise<Success<Operation<P, M>>> {
    const given = (init ?? {}) as RequestInit<unknown> & {
      path?: Record<string, string>;
      query?: Record<string, unknown>;
      body?: unknown;
    };
    const url = `${this.base}${fillPath(path, given.path)}${queryString(given.query)}`;
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...this.options.headers,
      ...given.headers,
      authorization: `Bearer ${this.options.apiKey}`,
    };
    if (given.body !== undefined) headers['content-type'] = 'application/json';
    if (given.idempotencyKey !== undefined) headers['idempotency-key'] = given.idempotencyKey;
    const response = await this.fetch(url, {
      method: method.toUpperCase(),
      headers,
      ...(given.body !== undefined && { body: JSON.stringify(given.body) }),
      ...(given.signal && { signal: given.signal }),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    if (!response.ok) throw errorFromAnswer(response.status, body, response.headers.get('retry-after'));
    return body as Success<Operation<P, M>>;
  }

  /** `POST /v1/messages`: queues a message; with `idempotencyKey`, a retry sends nothing twice. */
  sendMessage(message: SendRequest, options: { idempotencyKey?: string; signal?: AbortSignal } = {}): Promise<AcceptedMessage> {
    return this.request('post', '/v1/messages', { body: message, ...options });
  }

  /** `POST /v1/messages/batch`: up to 100 messages, one result each. */
  sendBatch(messages: BatchRequest['messages'], options: { idempotencyKey?: string } = {}): Promise<BatchResult> {
    return this.request('post', '/v1/messages/batch', { body: { messages }, ...options });
  }

  /** `GET /v1/messages/{id}`: the message, its recipients and events. */
  getMessage(id: string): Promise<Message> {
    return this.request('get', '/v1/messages/{id}', { path: { id } });
  }
}
