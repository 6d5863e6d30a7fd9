import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MailroomError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../../../lib/domain/errors.ts';
import { jsonBody, MAX_JSON_DEPTH, readRequest, type ApiRequest } from '../../../lib/http/request.ts';
import { MAX_REQUEST_BYTES } from '../../../lib/topology.ts';
import { apiEvent } from '../../integration/api/events.ts';

/** A POST request; `contentType` null sends no Content-Type header. */
function request(body: string, contentType: string | null = 'application/json'): ApiRequest {
  return { method: 'POST', path: '/v1/messages', headers: contentType === null ? {} : { 'content-type': contentType }, query: {}, body };
}

function errorOf(run: () => unknown): MailroomError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MailroomError);
    return error as MailroomError;
  }
  throw new Error('did not throw');
}

/** `[[[…1…]]]` nested `levels` deep. */
function nested(levels: number): string {
  return `${'['.repeat(levels)}1${']'.repeat(levels)}`;
}

describe('readRequest', () => {
  it('takes method, raw path, lower-cased headers and query from a payload 2.0 event', () => {
    const event = apiEvent('post', '/v1/messages', {
      headers: { 'Content-Type': 'application/json', 'X-Thing': 'A' },
      query: { limit: '5' },
      body: '{"a":1}',
    });
    expect(readRequest(event)).toEqual({
      method: 'POST',
      path: '/v1/messages',
      headers: { host: 'api.example.test', 'user-agent': 'mailroom-tests', 'content-type': 'application/json', 'x-thing': 'A' },
      query: { limit: '5' },
      body: '{"a":1}',
    });
  });

  it('decodes a base64 body', () => {
    const event = apiEvent('POST', '/v1/messages', { body: '{"subject":"Grüße"}', base64: true });
    expect(event.isBase64Encoded).toBe(true);
    expect(readRequest(event).body).toBe('{"subject":"Grüße"}');
  });

  it('copes with an event missing its optional parts', () => {
    const bare = { rawPath: '/v1/suppressions', requestContext: {} } as unknown as Parameters<typeof readRequest>[0];
    expect(readRequest(bare)).toEqual({ method: 'GET', path: '/v1/suppressions', headers: {}, query: {}, body: '' });
  });
});

describe('jsonBody', () => {
  it('parses a JSON body with any JSON media type', () => {
    for (const type of [
      'application/json',
      'Application/JSON; charset=utf-8',
      'application/json;charset=UTF-8',
      'application/vnd.api+json',
      'application/merge-patch+json',
    ]) {
      expect(jsonBody(request('{"a":[1,2]}', type)), type).toEqual({ a: [1, 2] });
    }
  });

  it('answers 415 for a body that is not declared as JSON', () => {
    for (const type of [
      null,
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/jsonp',
      'text/json',
      'multipart/form-data; boundary=x',
      'application/json-seq',
    ]) {
      const error = errorOf(() => jsonBody(request('{"a":1}', type)));
      expect(error, String(type)).toBeInstanceOf(UnsupportedMediaTypeError);
      expect(error.status).toBe(415);
      expect(error.code).toBe('unsupported_media_type');
    }
  });

  it(`answers 413 past ${MAX_REQUEST_BYTES} bytes, counting UTF-8 bytes, before looking at anything else`, () => {
    const exactly = `"${'a'.repeat(MAX_REQUEST_BYTES - 2)}"`;
    expect(jsonBody(request(exactly))).toHaveLength(MAX_REQUEST_BYTES - 2);
    const over = errorOf(() => jsonBody(request(`"${'a'.repeat(MAX_REQUEST_BYTES - 1)}"`)));
    expect(over).toBeInstanceOf(PayloadTooLargeError);
    expect(over.status).toBe(413);
    expect(over.details).toEqual({ limit_bytes: MAX_REQUEST_BYTES });
    // 'é' is two bytes: half as many characters already exceed the limit.
    expect(errorOf(() => jsonBody(request(`"${'é'.repeat(MAX_REQUEST_BYTES / 2)}"`)))).toBeInstanceOf(PayloadTooLargeError);
    // Size comes first: not JSON, not declared as JSON, and still 413.
    expect(errorOf(() => jsonBody(request('x'.repeat(MAX_REQUEST_BYTES + 1), 'text/plain'))).status).toBe(413);
  });

  it('answers 400 for malformed JSON', () => {
    for (const body of ['{', '{"a":1,}', "{'a':1}", 'undefined', 'NaN', '{"a":1}{"b":2}', '\u0000']) {
      const error = errorOf(() => jsonBody(request(body)));
      expect(error, body).toBeInstanceOf(ValidationError);
      expect(error.details).toEqual([{ field: '(body)', message: 'is not valid JSON' }]);
    }
  });

  it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses more, however deep`, () => {
    expect(jsonBody(request(nested(MAX_JSON_DEPTH)))).toBeDefined();
    expect(jsonBody(request(`{"a":${nested(MAX_JSON_DEPTH - 1)}}`))).toBeDefined();
    for (const body of [nested(MAX_JSON_DEPTH + 1), `{"a":${nested(MAX_JSON_DEPTH)}}`, nested(100_000)]) {
      const error = errorOf(() => jsonBody(request(body)));
      expect(error.status).toBe(400);
      expect(error.details).toEqual([{ field: '(body)', message: `at most ${MAX_JSON_DEPTH} levels` }]);
    }
  });

  it('refuses an empty body when one is required, and returns undefined otherwise', () => {
    for (const body of ['', '   ', '\n']) {
      const error = errorOf(() => jsonBody(request(body)));
      expect(error.status).toBe(400);
      expect(error.details).toEqual([{ field: '(body)', message: 'a JSON object is required' }]);
      expect(jsonBody(request(body), false)).toBeUndefined();
      // No content type needed when there is nothing to read.
      expect(jsonBody(request(body, null), false)).toBeUndefined();
    }
  });

  it('throws nothing but MailroomErrors for any body and content type', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.json(), fc.constantFrom(nested(17), '{"a":')),
        fc.option(fc.constantFrom('application/json', 'text/plain', ''), { nil: null }),
        (body, type) => {
          try {
            jsonBody(request(body, type));
          } catch (error) {
            expect(error).toBeInstanceOf(MailroomError);
            expect([400, 413, 415]).toContain((error as MailroomError).status);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
