import { describe, expect, it } from 'vitest';
import { MethodNotAllowedError, RouteNotFoundError, Router, type Route } from '../../../lib/http/router.ts';
import { json } from '../../../lib/http/response.ts';

function route(method: string, path: string): Route {
  const doc = { operationId: 'route', tag: 'Messages', summary: `${method} ${path}`, responses: {} } as const;
  return { method, path, scope: 'read', doc, action: async () => json(200, { method, path }) };
}

const router = new Router([
  route('POST', '/v1/messages'),
  route('POST', '/v1/messages/batch'),
  route('GET', '/v1/messages/{id}'),
  route('GET', '/v1/suppressions'),
  route('GET', '/v1/suppressions/{email}'),
  route('PUT', '/v1/suppressions/{email}'),
  route('DELETE', '/v1/suppressions/{email}'),
]);

function thrown(method: string, path: string): unknown {
  try {
    router.match(method, path);
  } catch (error) {
    return error;
  }
  throw new Error(`${method} ${path} matched`);
}

describe('Router', () => {
  it('matches method and path and extracts parameters, still URL-encoded', () => {
    const found = router.match('GET', '/v1/suppressions/bob%40example.com');
    expect(found.route.path).toBe('/v1/suppressions/{email}');
    expect(found.params).toEqual({ email: 'bob%40example.com' });
    expect(router.match('GET', '/v1/messages/01JD0000').params).toEqual({ id: '01JD0000' });
  });

  it('prefers the literal route that comes first over a parameter', () => {
    expect(router.match('POST', '/v1/messages/batch').route.path).toBe('/v1/messages/batch');
    expect(router.match('GET', '/v1/messages/batch').params).toEqual({ id: 'batch' });
  });

  it('tolerates one trailing slash', () => {
    expect(router.match('POST', '/v1/messages/').route.path).toBe('/v1/messages');
    expect(thrown('POST', '/v1/messages//')).toBeInstanceOf(RouteNotFoundError);
  });

  it('answers 404 route_not_found for unknown paths, extra segments, empty parameters and prefixes', () => {
    for (const path of [
      '/',
      '/v1',
      '/v2/messages',
      '/v1/messages/a/b',
      '/v1/suppressions//',
      '/v1/messagesx',
      'v1/messages',
      '/V1/MESSAGES',
      '/v1/messages/../suppressions',
    ]) {
      const error = thrown('GET', path);
      expect(error, path).toBeInstanceOf(RouteNotFoundError);
      expect((error as RouteNotFoundError).status).toBe(404);
      expect((error as RouteNotFoundError).code).toBe('route_not_found');
    }
  });

  it('answers 405 with every allowed method for a known path', () => {
    const single = thrown('GET', '/v1/messages') as MethodNotAllowedError;
    expect(single).toBeInstanceOf(MethodNotAllowedError);
    expect(single.status).toBe(405);
    expect(single.code).toBe('method_not_allowed');
    expect(single.allow).toEqual(['POST']);
    const several = thrown('POST', '/v1/suppressions/bob%40example.com') as MethodNotAllowedError;
    expect(several.allow).toEqual(['GET', 'PUT', 'DELETE']);
    expect(several.message).toBe('Use GET, PUT, DELETE on this route.');
    expect((thrown('PATCH', '/v1/messages/abc') as MethodNotAllowedError).allow).toEqual(['GET']);
  });

  it('compares methods exactly (the request reader upper-cases them)', () => {
    expect(thrown('get', '/v1/suppressions')).toBeInstanceOf(MethodNotAllowedError);
  });
});
