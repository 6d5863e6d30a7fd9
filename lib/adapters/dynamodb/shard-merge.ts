/**
 * A newest-first (or oldest-first) listing over several partitions of one index or table (the
 * write shards of one key), read in parallel and merged by sort key. Each shard keeps its own position, the
 * key of the last entry taken from it, so that a page may end anywhere: the next one goes on
 * from each shard's position, and no entry is skipped or repeated, even among entries with
 * the same time. One shard is simply a paged Query. No SDK here: `ShardReader` does the reads.
 */

/** A Query's ExclusiveStartKey or LastEvaluatedKey, its values strings. */
export type StartKey = Record<string, string>;

/** Where a shard stands: not read yet, read to its end, or read up to and including the entry with `key`. */
export type ShardPosition = { kind: 'start' } | { kind: 'done' } | { kind: 'after'; key: StartKey };

/** Reads the shards of one listing. */
export interface ShardReader<E> {
  /** How many shards there are, numbered from 0. */
  readonly shards: number;
  /** Oldest first: the reads give entries oldest first, and an entry with a smaller order comes first. */
  readonly oldestFirst?: boolean;
  /**
   * Up to `limit` entries of shard `shard`, newest first (oldest first with `oldestFirst`),
   * after the entry with key `after` (from the start when absent), and the key to go on from
   * when there may be more.
   */
  read(shard: number, after: StartKey | undefined, limit: number): Promise<{ entries: E[]; next?: StartKey }>;
  /** The key of an entry: where its shard goes on from once the entry is taken. */
  keyOf(entry: E): StartKey;
  /** The entry's place in time: an entry with a larger value comes first (a smaller one, oldest first). */
  orderOf(entry: E): string;
}

/** Most entries one read asks for (a Query page of keys stays far below 1 MB). */
const MAX_READ = 1000;

interface ShardState<E> {
  /** The position the page started from, kept while nothing is taken. */
  initial: ShardPosition;
  /** Key of the last entry taken, once one is. */
  taken?: StartKey;
  /** Entries read and not taken yet. */
  buffer: E[];
  /** Where the next read starts; undefined: at the newest. */
  readFrom?: StartKey;
  /** Whether a read may still give entries. */
  more: boolean;
}

/** Merges the shards of a ShardReader, from given positions, newest entry first. */
export class ShardMerge<E> {
  private readonly states: ShardState<E>[];

  constructor(
    private readonly reader: ShardReader<E>,
    positions: readonly ShardPosition[],
  ) {
    if (positions.length !== reader.shards) throw new RangeError(`${positions.length} positions for ${reader.shards} shards`);
    this.states = positions.map((position) => ({
      initial: position,
      buffer: [],
      more: position.kind !== 'done',
      ...(position.kind === 'after' && { readFrom: position.key }),
    }));
  }

  /** Whether every shard is read to its end and every entry taken. */
  get done(): boolean {
    return this.states.every((state) => state.buffer.length === 0 && !state.more);
  }

  /**
   * Takes the next `count` entries across the shards, newest first or oldest first (of entries
   * with the same order, the lower shard's first). Fewer only when the shards run out.
   */
  async take(count: number): Promise<E[]> {
    const before = this.reader.oldestFirst ? (a: string, b: string) => a < b : (a: string, b: string) => a > b;
    const taken: E[] = [];
    while (taken.length < count) {
      await this.fill(count - taken.length);
      let best: ShardState<E> | undefined;
      let bestOrder = '';
      for (const state of this.states) {
        const head = state.buffer[0];
        if (head === undefined) continue;
        const order = this.reader.orderOf(head);
        if (best === undefined || before(order, bestOrder)) [best, bestOrder] = [state, order];
      }
      if (best === undefined) break;
      const entry = best.buffer.shift()!;
      best.taken = this.reader.keyOf(entry);
      taken.push(entry);
    }
    return taken;
  }

  /** Where each shard stands after what was taken: what a cursor keeps. */
  positions(): ShardPosition[] {
    return this.states.map((state) => {
      if (state.buffer.length === 0 && !state.more) return { kind: 'done' };
      return state.taken ? { kind: 'after', key: state.taken } : state.initial;
    });
  }

  /**
   * Reads, in parallel, every shard that has nothing buffered and may have more, until each
   * has an entry or is read to its end. A read asks for about the shard's share of `wanted`
   * (ids spread evenly over the shards), with room to spare, so that one read per shard
   * mostly serves a page.
   */
  private async fill(wanted: number): Promise<void> {
    const { shards } = this.reader;
    const limit = Math.min(MAX_READ, shards === 1 ? wanted : Math.ceil((wanted * 3) / (2 * shards)) + 1);
    for (;;) {
      const empty = this.states.map((state, shard) => ({ state, shard })).filter(({ state }) => state.buffer.length === 0 && state.more);
      if (empty.length === 0) return;
      await Promise.all(
        empty.map(async ({ state, shard }) => {
          const { entries, next } = await this.reader.read(shard, state.readFrom, limit);
          state.buffer.push(...entries);
          state.readFrom = next;
          state.more = next !== undefined;
        }),
      );
    }
  }
}
