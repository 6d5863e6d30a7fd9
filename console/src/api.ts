/**
 * The console's only way to mailroom: the public `/v1` API with the signed-in key. The key
 * lives in memory and in session storage (gone when the tab closes), never in a URL or local storage.
 */

const KEY_ITEM = 'mailroom.console.key';

/** An answer other than 2xx, with the API's error document. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What the signed-in key is (GET /v1/key). */
export interface Caller {
  tenant: string;
  key_id: string | null;
  scopes: ('send' | 'read' | 'admin')[];
  operator: boolean;
}

type Query = Record<string, string | number | undefined>;

/** A client bound to one key. */
export class Api {
  constructor(readonly key: string) {}

  async call<T>(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown; text?: string; contentType?: string; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(options.query ?? {}))
      if (value !== undefined && value !== '') params.set(name, String(value));
    const url = `/v1${path}${params.size ? `?${params}` : ''}`;
    const headers: Record<string, string> = { ...options.headers, authorization: `Bearer ${this.key}` };
    const body = options.text ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const response = await fetch(url, { method, headers, ...(body !== undefined && { body }), cache: 'no-store' });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const answer = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const error = (answer as { error?: { code?: string; message?: string; details?: { field: string; message: string }[] } })?.error;
      throw new ApiError(response.status, error?.code ?? 'error', error?.message ?? `HTTP ${response.status}`, error?.details ?? []);
    }
    return answer as T;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.call<T>('GET', path, query ? { query } : {});
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, { body: body ?? {} });
  }
  put<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('PUT', path, { body: body ?? {} });
  }
  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('PATCH', path, { body: body ?? {} });
  }
  del(path: string): Promise<void> {
    return this.call<void>('DELETE', path);
  }
}

/** The key kept for this tab, if any. */
export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_ITEM);
}

export function keepKey(key: string): void {
  sessionStorage.setItem(KEY_ITEM, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY_ITEM);
}

/** A sentence for an error, with what a 403 means. */
export function explain(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403)
      return `This key may not do that (${error.message}) Ask for a key with the needed scope, or use an admin key.`;
    if (error.status === 401) return 'The key was refused: it is unknown or revoked. Sign out and sign in with another key.';
    const fields = error.details.map((d) => `${d.field}: ${d.message}`).join('; ');
    return fields ? `${error.message} (${fields})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** An encoded path segment. */
export const seg = encodeURIComponent;
