/** A clock that stands still until a test moves it. */
import type { Clock } from '../../../lib/ports/clock.ts';

/** A {@link Clock} at a time the test sets. */
export interface TestClock extends Clock {
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
  /** Sets the clock to `at` (ISO or epoch ms). */
  set(at: string | number): void;
}

/** A clock at `at` (ISO or epoch ms); it only moves when told. */
export function clockAt(at: string | number): TestClock {
  let now = typeof at === 'number' ? at : Date.parse(at);
  return {
    now: () => new Date(now),
    advance: (ms) => void (now += ms),
    set: (to) => void (now = typeof to === 'number' ? to : Date.parse(to)),
  };
}
