/** The error a mailroom API call fails with. */

/** An answer of the API that is not a success: its status and the error document's code, message and details. */
export class MailroomApiError extends Error {
  constructor(
    /** HTTP status: 400 invalid_request, 401, 403, 404, 409, 422, 429, 503… */
    readonly status: number,
    /** The error document's `code` (`invalid_request`, `rate_limited`…), or `http_error` when the answer was not one. */
    readonly code: string,
    message: string,
    /** The error document's `details`: for `invalid_request`, `[{field, message}]`. */
    readonly details?: unknown,
    /** For 429: the seconds the `Retry-After` header asks to wait. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'MailroomApiError';
  }

  /** Whether the same request may succeed later: 429, 503 and other 5xx. */
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/** The error of a failed answer, read from its body when it is mailroom's error document. */
export function errorFromAnswer(status: number, body: unknown, retryAfter: string | null): MailroomApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new MailroomApiError(status, error.code, error.message, error.details, seconds);
  }
  return new MailroomApiError(status, 'http_error', `mailroom answered ${status}`, body, seconds);
}
