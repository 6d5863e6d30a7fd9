/**
 * Named errors, and the error document the API answers with. An error with `expose: true`
 * carries a message that is safe to show the caller; anything else becomes a generic 500 at
 * the edge.
 */

/** One problem with one field of a request. */
export interface FieldProblem {
  /** Path of the offending field, e.g. `to[1]` or `headers.X-Campaign`. */
  field: string;
  message: string;
}

/** Base class for errors the API maps to an HTTP answer. */
export class MailroomError extends Error {
  readonly expose = true;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** What the API tells a caller about an error (`details` only when the error has some). */
export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/**
 * The API's error document, `{"error": {"code", "message", "details"}}`, for a MailroomError or
 * another answer of that shape: what an error answer holds, and a stored 422 replays.
 */
export function errorDocument(error: ErrorBody): { error: ErrorBody } {
  return { error: { code: error.code, message: error.message, ...(error.details !== undefined && { details: error.details }) } };
}

/** What a caller learns of a failure that is not theirs (a 500): nothing of its cause. */
export const INTERNAL_ERROR: ErrorBody = { code: 'internal_error', message: 'Something went wrong inside mailroom. Retry later.' };

/** 400: the request is malformed or names invalid values. */
export class ValidationError extends MailroomError {
  constructor(message: string, problems: FieldProblem[] = []) {
    super(400, 'invalid_request', message, problems.length ? problems : undefined);
  }
}

/** 401: no key, or a key that is unknown or revoked. */
export class AuthenticationError extends MailroomError {
  constructor(message = 'A valid API key is required: send "Authorization: Bearer <key>".') {
    super(401, 'unauthorized', message);
  }
}

/** 404: nothing with that id for this tenant (another tenant's data is also "not found"). */
export class NotFoundError extends MailroomError {
  constructor(what: string) {
    super(404, 'not_found', `${what} not found.`);
  }
}

/** 409: the request conflicts with an earlier one (idempotency key reused with another body). */
export class ConflictError extends MailroomError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

/** 410: the thing is known, but what was asked of it is no longer kept (a message's content past its retention). */
export class GoneError extends MailroomError {
  constructor(code: string, message: string) {
    super(410, code, message);
  }
}

/** 413: the body is larger than the API accepts. */
export class PayloadTooLargeError extends MailroomError {
  /** `advice`: what to do instead, added to the message. */
  constructor(limitBytes: number, advice?: string) {
    super(413, 'payload_too_large', `The request body is larger than ${limitBytes} bytes.${advice ? ` ${advice}` : ''}`, {
      limit_bytes: limitBytes,
    });
  }
}

/** 415: the body is not JSON. */
export class UnsupportedMediaTypeError extends MailroomError {
  constructor() {
    super(415, 'unsupported_media_type', 'Send the request body as JSON with "Content-Type: application/json".');
  }
}

/** 422: well-formed, but nothing can be done with it (e.g. every recipient is suppressed). */
export class UnprocessableError extends MailroomError {
  constructor(code: string, message: string, details?: unknown) {
    super(422, code, message, details);
  }
}

/** 429: the tenant sent more requests than its rate allows; `retryAfterSeconds` says when to come back. */
export class RateLimitedError extends MailroomError {
  constructor(
    readonly limitPerSecond: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      429,
      'rate_limited',
      `Too many requests: this account may make ${limitPerSecond} per second. Retry after ${retryAfterSeconds} s.`,
      {
        limit_per_second: limitPerSecond,
        retry_after_seconds: retryAfterSeconds,
      },
    );
  }
}

/** 503: a dependency is unavailable; the caller should retry. */
export class ServiceUnavailableError extends MailroomError {
  constructor(message = 'mailroom could not queue the request; retry later.', options?: { cause?: unknown }) {
    super(503, 'service_unavailable', message, undefined, options);
  }
}

/** A message that can never be delivered as stored (it cannot be composed, or its record is unusable). */
export class PoisonMessageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PoisonMessageError';
  }
}

/** 403: the key is valid but lacks the scope the route needs. */
export class ForbiddenError extends MailroomError {
  constructor(scope: string) {
    super(403, 'forbidden', `This API key lacks the "${scope}" scope.`);
  }
}

/** The sender's domain is not one the tenant has verified (`POST /v1/domains`, then publish its DNS records). */
export class DomainNotVerifiedError extends MailroomError {
  constructor(readonly domain: string) {
    super(
      422,
      'domain_not_verified',
      `The sending domain "${domain}" is not verified for this account: add it with POST /v1/domains and publish its DNS records.`,
      { domain },
    );
  }
}

/** The tenant's sending is paused (reputation breaker or an operator) until an operator resumes it. */
export class SendingPausedError extends MailroomError {
  constructor(reason: string, pausedAt?: string) {
    super(
      403,
      'sending_paused',
      `Sending is paused for this account: ${reason}. An operator must resume it (POST /v1/tenants/{id}/resume).`,
      {
        reason,
        ...(pausedAt && { paused_at: pausedAt }),
      },
    );
  }
}

/** An Amazon SES event record that mailroom cannot read (malformed, or an event type it does not know). */
export class InvalidSesNotificationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidSesNotificationError';
  }
}

/**
 * An SES event names a recipient whose send mailroom has not recorded yet (its attempt is still
 * in flight): applying the outcome now would be overwritten, so the event must come back later.
 */
export class OutcomeNotReadyError extends Error {
  constructor(
    readonly messageId: string,
    readonly recipients: string[],
  ) {
    super(`message ${messageId} has recipients whose delivery attempt is still being recorded`);
    this.name = 'OutcomeNotReadyError';
  }
}
