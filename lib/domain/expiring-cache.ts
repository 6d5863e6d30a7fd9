/**
 * Values a process keeps for a few seconds instead of reading them for every request or
 * message (API keys, tenant settings, domain states, DKIM keys): each entry has its own expiry,
 * a burst of callers for one key shares one load, and the oldest entry goes first past
 * `maxEntries`. An expired entry stays until it is replaced, so a loader may fall back on it
 * when its source cannot be read.
 */
/** What a loader found: the value and how long to keep it (ms; 0 or less keeps nothing new). */
export interface Loaded<V> {
  value: V;
  keepMs: number;
}

export class ExpiringCache<V> {
  readonly #entries = new Map<string, { value: V; until: number }>();
  /** Loads in flight, so that a burst of callers for one key loads it once. */
  readonly #loading = new Map<string, Promise<V>>();
  /** Bumped by {@link invalidate}: a load begun before an invalidation keeps nothing. */
  #generation = 0;
  readonly #clock: { now(): Date };
  readonly #maxEntries: number;

  constructor(options: { clock: { now(): Date }; maxEntries?: number }) {
    this.#clock = options.clock;
    this.#maxEntries = Math.max(1, options.maxEntries ?? 1000);
  }

  /**
   * The value kept for `key` while it is fresh; otherwise what `load` finds, loaded once for
   * every caller waiting at that moment. `load` is given the expired value, if one is kept.
   */
  get(key: string, load: (expired: V | undefined) => Promise<Loaded<V>>): Promise<V> {
    const entry = this.#entries.get(key);
    if (entry && entry.until > this.#clock.now().getTime()) return Promise.resolve(entry.value);
    const loading = this.#loading.get(key);
    if (loading) return loading;
    const generation = this.#generation;
    const started = this.#clock.now().getTime();
    const loaded = load(entry?.value).then(({ value, keepMs }) => {
      if (keepMs > 0 && generation === this.#generation) {
        this.#entries.delete(key);
        if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
        this.#entries.set(key, { value, until: started + keepMs });
      }
      return value;
    });
    const shared = loaded.finally(() => this.#loading.delete(key));
    this.#loading.set(key, shared);
    return shared;
  }

  /** Forgets `key`, and keeps nothing from loads already under way (of any key). */
  invalidate(key: string): void {
    this.#generation++;
    this.#entries.delete(key);
  }
}
