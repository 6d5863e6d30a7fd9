import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  ValidationError,
} from '../../../lib/domain/errors.ts';
import { errorResponse, json, noContent } from '../../../lib/http/response.ts';

describe('json and noContent', () => {
  it('answers JSON that is never cached', () => {
    const response = json(202, { id: 'x' }, { location: '/v1/messages/x' });
    expect(response).toEqual({
      statusCode: 202,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', location: '/v1/messages/x' },
      body: '{"id":"x"}',
    });
    expect(json(200, undefined).body).toBe('');
  });

  it('answers 204 with an empty body', () => {
    expect(noContent()).toEqual({ statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' });
  });
});

describe('errorResponse', () => {
  it('maps a MailroomError to its status, code, message and details', () => {
    const response = errorResponse(
      new ValidationError('The message is invalid.', [{ field: 'to', message: 'is not a valid email address' }]),
    );
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body as string)).toEqual({
      error: {
        code: 'invalid_request',
        message: 'The message is invalid.',
        details: [{ field: 'to', message: 'is not a valid email address' }],
      },
    });
    expect(JSON.parse(errorResponse(new NotFoundError('Message')).body as string)).toEqual({
      error: { code: 'not_found', message: 'Message not found.' },
    });
    expect(errorResponse(new ConflictError('idempotency_key_reused', 'x')).statusCode).toBe(409);
    expect(JSON.parse(errorResponse(new PayloadTooLargeError(10)).body as string).error.details).toEqual({ limit_bytes: 10 });
  });

  it('keeps causes and stacks out of the answer', () => {
    const cause = new Error('ProvisionedThroughputExceeded on table secret-prod-messages');
    const response = errorResponse(new ServiceUnavailableError(undefined, { cause }));
    expect(response.statusCode).toBe(503);
    expect(response.body).not.toContain('secret-prod');
    expect(response.body).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('answers anything else with a generic 500 that reveals nothing', () => {
    for (const error of [
      new TypeError("Cannot read properties of undefined (reading 'tenant')"),
      new Error('connect ECONNREFUSED 10.0.0.5:8000'),
      'a string',
      undefined,
      { status: 400, message: 'fake' },
    ]) {
      const response = errorResponse(error);
      expect(response.statusCode).toBe(500);
      const body = JSON.parse(response.body as string);
      expect(body).toEqual({ error: { code: 'internal_error', message: 'Something went wrong inside mailroom. Retry later.' } });
    }
  });
});
