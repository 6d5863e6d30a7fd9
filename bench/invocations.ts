/**
 * Times every invocation of the local runtime's handlers, as Lambda would bill them: a middy
 * middleware added to the very handler objects the HTTP server and the pollers call.
 */
import { performance } from 'node:perf_hooks';
import type { MiddlewareObj } from '@middy/core';
import { billedDurationMs } from './cost.ts';

export interface Invocation {
  fn: string;
  durationMs: number;
  /** Records in the event (1 for an API request). */
  batch: number;
  failed: boolean;
}

/** Invocations of each function, with their durations and batch sizes. */
export class InvocationLog {
  readonly invocations: Invocation[] = [];

  /** A middleware that logs each invocation of `fn`. */
  timer<TEvent, TResult>(fn: string): MiddlewareObj<TEvent, TResult> {
    const started = new WeakMap<object, number>();
    const finish = (request: object, event: unknown, failed: boolean) => {
      const start = started.get(request);
      if (start === undefined) return;
      const records = (event as { Records?: unknown[] } | undefined)?.Records;
      this.invocations.push({ fn, durationMs: performance.now() - start, batch: Array.isArray(records) ? records.length : 1, failed });
    };
    return {
      before: (request) => void started.set(request, performance.now()),
      after: (request) => finish(request, request.event, false),
      onError: (request) => finish(request, request.event, true),
    };
  }

  /** Invocations of one function. */
  of(fn: string): Invocation[] {
    return this.invocations.filter((invocation) => invocation.fn === fn);
  }

  /** Sum of the billed (rounded-up) durations of `fn`'s invocations. */
  billedMs(fn: string): number {
    return this.of(fn).reduce((sum, invocation) => sum + billedDurationMs(invocation.durationMs), 0);
  }

  reset(): void {
    this.invocations.length = 0;
  }
}
