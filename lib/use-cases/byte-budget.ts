/**
 * A budget of bytes that concurrent work in one process may hold at once, taken first come,
 * first served: the delivery of a message with large attachments holds their size while it
 * composes, signs and relays them, so that the jobs of one batch, run side by side, cannot
 * together hold more than the function's memory. Work larger than the whole budget runs alone.
 */
export class ByteBudget {
  #held = 0;
  readonly #waiting: { bytes: number; granted: () => void }[] = [];

  constructor(
    /** Bytes that may be held at once. */
    readonly limit: number,
  ) {}

  /** Bytes held now. */
  get held(): number {
    return this.#held;
  }

  /**
   * Takes `bytes`, waiting at most `maxWaitMs` for room; answers the function that gives them
   * back (once, however often it is called), or undefined when there was no room in time.
   */
  async take(bytes: number, maxWaitMs: number): Promise<(() => void) | undefined> {
    if (this.#waiting.length === 0 && this.#fits(bytes)) return this.#hold(bytes);
    const granted = await new Promise<boolean>((resolve) => {
      const entry = { bytes, granted: () => (clearTimeout(timer), resolve(true)) };
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(entry), 1);
        resolve(false);
        // Whoever waited behind this one may fit now.
        this.#grant();
      }, maxWaitMs);
      this.#waiting.push(entry);
    });
    return granted ? this.#release(bytes) : undefined;
  }

  #fits(bytes: number): boolean {
    return this.#held === 0 || this.#held + bytes <= this.limit;
  }

  #hold(bytes: number): () => void {
    this.#held += bytes;
    return this.#release(bytes);
  }

  #release(bytes: number): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#held -= bytes;
      this.#grant();
    };
  }

  /** Grants waiting work, in order, while the first fits. */
  #grant(): void {
    while (this.#waiting.length > 0 && this.#fits(this.#waiting[0]!.bytes)) {
      const next = this.#waiting.shift()!;
      this.#held += next.bytes;
      next.granted();
    }
  }
}
