/**
 * A small route table: method and path pattern to an action, with the scope it needs and its
 * description in the OpenAPI document.
 */
import type { ApiKeyScope } from '../domain/api-key.ts';
import { MailroomError } from '../domain/errors.ts';
import type { Principal } from '../domain/principal.ts';
import type { ApiRequest } from './request.ts';
import type { ApiResponse } from './response.ts';
import type { RouteDoc } from './route-doc.ts';

export interface RouteContext {
  request: ApiRequest;
  params: Record<string, string>;
  tenant: string;
  /** Who is calling: the key's tenant, scopes and id (admin routes tell the operator from a tenant's admin). */
  principal: Principal;
}

/** What a public route is told of its request. */
export interface PublicRouteContext {
  request: ApiRequest;
  params: Record<string, string>;
}

interface RouteBase {
  method: string;
  /** Path with `{name}` segments, e.g. `/v1/messages/{id}`. */
  path: string;
  /** Its description in the OpenAPI document. */
  doc: RouteDoc;
}

/** A route for callers with an API key of `scope` (`any`: every valid key, whatever its scopes). */
export interface KeyRoute extends RouteBase {
  scope: ApiKeyScope | 'any';
  action: (context: RouteContext) => Promise<ApiResponse>;
}

/** A route that reads no API key (the OpenAPI document). */
export interface PublicRoute extends RouteBase {
  scope: 'public';
  action: (context: PublicRouteContext) => Promise<ApiResponse>;
}

export type Route = KeyRoute | PublicRoute;

type Compiled = Route & { pattern: RegExp; names: string[] };

/** 404 for unknown paths; 405 with `Allow` for a known path and another method. */
export class RouteNotFoundError extends MailroomError {
  constructor() {
    super(404, 'route_not_found', 'No such API route.');
  }
}

export class MethodNotAllowedError extends MailroomError {
  constructor(readonly allow: string[]) {
    super(405, 'method_not_allowed', `Use ${allow.join(', ')} on this route.`);
  }
}

export class Router {
  private readonly routes: Compiled[];

  constructor(routes: Route[]) {
    this.routes = routes.map((route) => {
      const names: string[] = [];
      const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      return { ...route, names, pattern: new RegExp(`^${source}/?$`) };
    });
  }

  /** The route for a request and its path parameters (still URL-encoded). */
  match(method: string, path: string): { route: Route; params: Record<string, string> } {
    const allow: string[] = [];
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        allow.push(route.method);
        continue;
      }
      const params = Object.fromEntries(route.names.map((name, i) => [name, found[i + 1] ?? '']));
      return { route, params };
    }
    if (allow.length) throw new MethodNotAllowedError(allow);
    throw new RouteNotFoundError();
  }
}
