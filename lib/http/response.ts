/** API responses: JSON documents, and errors as `{"error": {"code", "message", "details"}}`. */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { errorDocument, INTERNAL_ERROR, MailroomError, RateLimitedError } from '../domain/errors.ts';

export type ApiResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> };

const BASE_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/** A JSON answer. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { statusCode, headers: { ...BASE_HEADERS, ...headers }, body: body === undefined ? '' : JSON.stringify(body) };
}

/** 204 with no body. */
export function noContent(): ApiResponse {
  return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
}

/** The answer for an error: its own status and message when it is a MailroomError, else a bare 500. */
export function errorResponse(error: unknown): ApiResponse {
  if (error instanceof RateLimitedError)
    return json(error.status, errorDocument(error), { 'retry-after': String(error.retryAfterSeconds) });
  if (error instanceof MailroomError) return json(error.status, errorDocument(error));
  return json(500, errorDocument(INTERNAL_ERROR));
}
