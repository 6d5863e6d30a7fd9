/**
 * Requests that arrive within a few milliseconds of each other, made into one: a DataLoader
 * (no cache: every load reads or writes the table) whose batches wait `windowMs` for more loads.
 * The jobs of one delivery batch claim their messages side by side and reach the suppression
 * check and the event write moments apart; coalesced, they share one BatchGetItem and one
 * BatchWriteItem instead of one each.
 */
import DataLoader from 'dataloader';

/** How long a batch of loads waits for more. */
export interface CoalesceWindow {
  /** How long a batch waits for further loads after its first. */
  windowMs: number;
  /** True when no other load can be coming (the caller runs one job): the batch goes at once. */
  alone?: () => boolean;
}

/** Options of {@link coalescing}. */
export interface CoalesceOptions extends CoalesceWindow {
  /** Loads per batch at most (what one call of the operation takes). */
  maxBatchSize: number;
}

/**
 * Loads of `K` answered by `run`, which gets every key of a batch (in load order, repeated
 * keys included) and returns one value per key, in the same order. A `run` that throws fails
 * every load of its batch.
 */
export function coalescing<K, V>(run: (keys: readonly K[]) => Promise<V[]>, options: CoalesceOptions): DataLoader<K, V> {
  return new DataLoader<K, V>(run, {
    cache: false,
    maxBatchSize: options.maxBatchSize,
    // Loads made in the same turn of the event loop join a batch even when it goes at once.
    batchScheduleFn: (callback) => (options.alone?.() ? setImmediate(callback) : setTimeout(callback, options.windowMs)),
  });
}
