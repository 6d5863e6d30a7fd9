/**
 * The arithmetic of a per-second allowance shared through DynamoDB: split into whole shares
 * (time slots, shard items) that add up to the allowance exactly, and the conditional add that
 * takes from one share without passing it. The relay pacer and the per-tenant request limit
 * both take from allowances this way.
 */

/** The part of `total` that falls to part `index` of `parts` near-equal parts, in whole units: the parts add up to `total`. */
export function partOf(total: number, parts: number, index: number): number {
  return Math.floor((total * (index + 1)) / parts) - Math.floor((total * index) / parts);
}

/** Shards an allowance of `total` a second is spread over: one per `perShard` of it, at least 1, at most `max`. */
export function shardCount(total: number, perShard: number, max: number): number {
  return Math.min(max, Math.max(1, Math.ceil(total / perShard)));
}

/**
 * The highest count a share may hold before `take` is added to it, so that it stays within
 * `cap`: the condition of every conditional add. A take larger than the cap passes only on an
 * empty share (0), so that a single dear request is not refused for ever.
 */
export function ceilingFor(cap: number, take: number): number {
  return Math.max(0, cap - take);
}

/** Whether a share holding `count` admits `take` more under `cap` (the conditional add's test). */
export function admits(count: number, take: number, cap: number): boolean {
  return count <= ceilingFor(cap, take);
}

/** What is left of a share of `cap` holding `count`. */
export function roomIn(count: number, cap: number): number {
  return Math.max(0, cap - count);
}
