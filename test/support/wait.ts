/**
 * The one way tests wait for something that happens later: read a value until a predicate
 * holds, and fail loudly when it does not in time, saying what was awaited and what was last
 * seen. Never returns a value the predicate refused.
 */

export interface WaitOptions<T> {
  /** What is awaited, for the error ("message 01J… to be sent"). */
  message: string;
  /** How long to wait, in ms; 20 s by default. */
  timeout?: number;
  /** Pause between readings, in ms; 50 by default. */
  interval?: number;
  /** How the error shows the last reading; JSON (shortened) by default. */
  show?: (value: T) => string;
}

/** Thrown when a wait runs out of time; `last` is the last reading. */
export class WaitTimeoutError<T> extends Error {
  constructor(
    message: string,
    readonly last: T,
  ) {
    super(message);
    this.name = 'WaitTimeoutError';
  }
}

function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

/**
 * Calls `read` until `done` holds for what it returns, and returns that value. A `read` that
 * throws ends the wait with its error (a failed assertion inside it fails at once). Past the
 * timeout it throws a {@link WaitTimeoutError} naming `message` and the last value read.
 */
export async function waitFor<T>(read: () => T | Promise<T>, done: (value: T) => boolean, options: WaitOptions<T>): Promise<T> {
  const timeout = options.timeout ?? 20_000;
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() >= deadline) {
      const last = (options.show ?? shown)(value);
      throw new WaitTimeoutError(`timed out after ${timeout} ms waiting for ${options.message}; last seen: ${last}`, value);
    }
    await new Promise((resolve) => setTimeout(resolve, options.interval ?? 50));
  }
}
