/**
 * How many jobs a consumer process runs at this moment: the delivery stores wait a few
 * milliseconds for other jobs' lookups and writes to share a request with (coalesce.ts), which
 * is time lost for a job that runs alone.
 */
export class JobsInFlight {
  #count = 0;

  /** True when at most one job runs. */
  get alone(): boolean {
    return this.#count <= 1;
  }

  /** Runs `job`, counted while it runs. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    this.#count++;
    try {
      return await job();
    } finally {
      this.#count--;
    }
  }
}
