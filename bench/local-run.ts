/** Pieces both local-mode measurements use: a log that says nothing, and a wait on a condition. */
import { performance } from 'node:perf_hooks';
import type { Log } from '../lib/ports/logger.ts';

/** A log that drops everything, so that logging costs the measured run nothing. */
export const silent: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Resolves true once `done()` holds (checked every 50 ms), false after `timeoutMs`. */
export async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
