/** A pacer that records what it was asked. */
import type { Pacer } from '../../../lib/ports/pacer.ts';

/** A {@link Pacer} that grants every request while `grants` holds, and records each. */
export class MemoryPacer implements Pacer {
  readonly calls: Parameters<Pacer['acquire']>[] = [];
  grants = true;

  constructor(readonly ratePerSecond = 14) {}

  async acquire(...args: Parameters<Pacer['acquire']>): Promise<boolean> {
    this.calls.push(args);
    return this.grants;
  }
}
