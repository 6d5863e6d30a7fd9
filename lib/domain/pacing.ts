/**
 * How the relay's rate is cut up for leasing: each second (a window) into slots that each take
 * their part of the rate, so sends are spread evenly instead of bursting at the start of each
 * second; each slot's part into shards, one DynamoDB item per shard and window, so that no item
 * takes the writes of the whole deployment. A delivery instance leases, in one conditional
 * write on one shard, what it expects to send in the slots left in the window.
 */
import { admits, ceilingFor, partOf, roomIn, shardCount } from './allowance.ts';

/** Every BULK_GAP-th slot of the relay's time is kept for transactional mail: campaigns get the other 80%. */
export const BULK_GAP = 5;
/** A lease is for the slots left in one window of this length. */
export const PACER_WINDOW_MS = 1000;
/** Slots per window at most (slots of at least 50 ms). */
const MAX_SLOTS = 20;
/** Shards of a window at most: at 20,000 recipients a second and 1,600 delivery instances, 100 leases a second each. */
export const PACER_MAX_SHARDS = 16;
/** One shard per this many recipients a second of the rate, so a small rate stays on one item a lone instance leases whole. */
const RATE_PER_SHARD = 1250;

export type Lane = 'transactional' | 'bulk';

/** How a rate is cut up. */
export interface PacerLayout {
  rate: number;
  /** Slots per window. */
  slots: number;
  /** Shard items per window. */
  shards: number;
}

export function pacerLayout(rate: number): PacerLayout {
  return { rate, slots: Math.min(MAX_SLOTS, Math.max(1, rate)), shards: shardCount(rate, RATE_PER_SHARD, PACER_MAX_SHARDS) };
}

/** A slot of relay time. */
export interface SlotTime {
  /** Epoch second of the window. */
  window: number;
  /** Index of the slot in its window. */
  slot: number;
  /** Index of the slot since the epoch. */
  index: number;
  /** When the slot ends, epoch ms. */
  endMs: number;
}

export function slotAt(layout: PacerLayout, ms: number): SlotTime {
  const window = Math.floor(ms / PACER_WINDOW_MS);
  const slot = Math.min(layout.slots - 1, Math.floor(((ms - window * PACER_WINDOW_MS) * layout.slots) / PACER_WINDOW_MS));
  return {
    window,
    slot,
    index: window * layout.slots + slot,
    endMs: window * PACER_WINDOW_MS + Math.ceil(((slot + 1) * PACER_WINDOW_MS) / layout.slots),
  };
}

/** Whether campaign mail is kept out of slot `slot` of `window`. */
export function keptForTransactional(layout: PacerLayout, window: number, slot: number): boolean {
  return (window * layout.slots + slot) % BULK_GAP === BULK_GAP - 1;
}

/** What one shard's item may hold in one slot: its part of the slot's part of the rate (0 for campaign mail in a kept slot). */
export function slotCap(layout: PacerLayout, lane: Lane, window: number, slot: number, shard: number): number {
  if (lane === 'bulk' && keptForTransactional(layout, window, slot)) return 0;
  return partOf(partOf(layout.rate, layout.slots, slot), layout.shards, shard);
}

/**
 * The recipients an instance wants in each slot of the window from `from` on: in the first,
 * `need` and all that is `queued` behind it (what waits now is sent now, as far as the slot
 * allows); in the slots after it, its recent rate (`perSecond`) spread evenly, in requests of
 * `unit` recipients (its usual request), so that no slot holds a part of a request it cannot
 * use. A running total is rounded, so a rate under one request a slot still gets one now and then.
 */
export function wanted(layout: PacerLayout, from: number, need: number, perSecond: number, queued: number, unit = 1): number[] {
  const want = new Array<number>(layout.slots).fill(0);
  const requestsPerSlot = perSecond / unit / layout.slots;
  want[from] = need + queued;
  for (let k = 1; from + k < layout.slots; k++)
    want[from + k] = unit * (Math.round(requestsPerSlot * (k + 1)) - Math.round(requestsPerSlot * k));
  return want;
}

/**
 * A lease on one shard: the recipients to take in each slot, cut to what the shard's caps and
 * the counts last seen on it (`seen`, lower bounds; undefined when not seen this window) leave.
 * Undefined when the first slot cannot give `need` (a need larger than the slot's cap only fits
 * an empty slot), or when there is nothing to take.
 */
export function fitLease(
  want: readonly number[],
  caps: readonly number[],
  from: number,
  need: number,
  seen?: readonly number[],
  unit = 1,
): number[] | undefined {
  const counts = (slot: number) => seen?.[slot] ?? 0;
  if (caps[from] === 0) return undefined;
  if (need > 0 && !admits(counts(from), need, caps[from]!)) return undefined;
  // Later slots in whole requests of `unit`: a part of a request would be left unused.
  const fit = (slot: number) => Math.min(want[slot]!, roomIn(counts(slot), caps[slot]!));
  const take = want.map((_, slot) => (slot < from ? 0 : slot === from ? fit(slot) : Math.floor(fit(slot) / unit) * unit));
  take[from] = Math.max(need, take[from]!);
  return take.some((t) => t > 0) ? take : undefined;
}

/** The highest count each slot taken may hold before the lease, the lease's condition. */
export function leaseCeilings(take: readonly number[], caps: readonly number[]): (number | undefined)[] {
  return take.map((t, slot) => (t > 0 ? ceilingFor(caps[slot]!, t) : undefined));
}
