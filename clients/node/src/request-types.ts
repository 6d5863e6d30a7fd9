/**
 * Types that read an operation of the generated `paths` (schema.ts): its path parameters,
 * query, body and success answer, so that `MailroomClient.request` is typed from the document.
 */
import type { paths } from './schema.ts';

export type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** The operation of `method path`. */
export type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

/** The paths that have a `method` operation. */
export type PathsWith<M extends Method> = {
  [P in keyof paths]: [Operation<P, M>] extends [never] ? never : P;
}[keyof paths];

type Parameters<O> = O extends { parameters: infer X } ? X : never;
/** The path parameters (`never` when the path has none). */
export type PathParams<O> = Parameters<O> extends { path: infer T } ? T : never;
/** The query parameters (`never` when the operation takes none). */
export type QueryParams<O> = Parameters<O> extends { query?: infer T } ? NonNullable<T> : never;
/** The JSON body (`never` when the operation takes none). */
export type Body<O> = O extends { requestBody?: infer R }
  ? NonNullable<R> extends { content: { 'application/json': infer B } }
    ? B
    : never
  : never;

/** The body of a success answer (`undefined` for 204). */
export type Success<O> = O extends { responses: infer R }
  ? {
      [S in keyof R]: S extends 200 | 201 | 202 | 204 ? (R[S] extends { content: { 'application/json': infer T } } ? T : undefined) : never;
    }[keyof R]
  : never;

/** What a request may carry besides its parameters and body. */
interface Common {
  /** `Idempotency-Key`, for the routes that honour it. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** The second argument of a request: `path` when the path has parameters, `body` when a body is required. */
export type RequestInit<O> = Common &
  ([PathParams<O>] extends [never] ? { path?: never } : { path: PathParams<O> }) &
  ([QueryParams<O>] extends [never] ? { query?: never } : { query?: QueryParams<O> }) &
  ([Body<O>] extends [never] ? { body?: never } : O extends { requestBody: { content: unknown } } ? { body: Body<O> } : { body?: Body<O> });

/** `[init]`, optional when nothing in it is required. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{}` is what an init without required fields is
export type InitArgs<O> = {} extends RequestInit<O> ? [init?: RequestInit<O>] : [init: RequestInit<O>];
