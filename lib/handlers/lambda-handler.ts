/**
 * The middy wrapper every handler is built with: the function's own middlewares first (in
 * Lambda: Powertools' logger context, tracer and metrics, from lib/wiring/telemetry.ts), so that
 * their `after` and `onError` run last, after the handler's own error mapping.
 */
import middy from '@middy/core';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

/** A middleware that fits every handler: it looks at the request, not at its event or answer. */
export type HandlerMiddleware = MiddlewareObj<unknown, unknown, Error, Context>;

/** What a handler factory takes beside its use cases' dependencies. */
export interface HandlerTelemetry {
  /** Attached to the handler in this order; absent: none (unit tests, local mode). */
  middlewares?: readonly HandlerMiddleware[];
}

/** The handler `handle` wrapped by middy, with `middlewares` attached. */
export function lambdaHandler<TEvent, TResult>(
  handle: (event: TEvent, context: Context) => Promise<TResult>,
  middlewares: readonly HandlerMiddleware[] = [],
) {
  const handler = middy<TEvent, TResult, Error, Context>(handle);
  for (const middleware of middlewares) handler.use(middleware);
  return handler;
}
