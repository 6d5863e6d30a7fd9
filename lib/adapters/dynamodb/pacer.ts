/**
 * Pacer on DynamoDB, by leases. The relay's second (a window) is cut into slots that each take
 * their part of the rate, and each slot's part into shards (lib/domain/pacing.ts). Each shard
 * and window is one item of the rate-limits table, `pk = "relay#<epoch second>#<shard>"`, with a
 * count per slot (`s0`, `s1`, …). An instance leases, in one conditional write on one shard,
 * what it expects to send in the slots left in the window (its recent demand, and what is
 * waiting), then sends from its lease locally, slot by slot. The counts can only rise within
 * their caps, and the caps of all shards and slots add up to the rate, so the leases of all
 * instances together never pass the rate in any window or slot; what an instance leases and
 * does not send is lost. The items expire a minute after their window (TTL).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { systemClock, type Clock } from '../../ports/clock.ts';
import type { Pacer } from '../../ports/pacer.ts';
import {
  fitLease,
  keptForTransactional,
  leaseCeilings,
  pacerLayout,
  slotAt,
  slotCap,
  wanted,
  PACER_WINDOW_MS,
  type Lane,
  type PacerLayout,
  type SlotTime,
} from '../../domain/pacing.ts';
import { LaneDemand } from '../../domain/lane-demand.ts';
import { writeLease } from './pacer-items.ts';

export { BULK_GAP } from '../../domain/pacing.ts';

/**
 * Refused lease writes an instance makes per lane and window before it waits for the next
 * window, whatever it has seen: with every instance starved at once, each shard item takes at
 * most this many refusals per instance and lane a second.
 */
const REFUSALS_PER_WINDOW = 2;
/**
 * A request waits for a later slot of its lease, instead of leasing more now, when what the
 * lane holds in the slots starting this soon covers all that waits.
 */
const LOOKAHEAD_MS = 200;
/** Lease writes one request makes at most before it waits for the next slot. */
const WRITES_PER_TRY = 3;

interface LaneState {
  /** Recipients leased and not yet sent, by slot index (since the epoch). */
  held: Map<number, number>;
  demand: LaneDemand;
  /** Recipients of requests waiting in this lane, the one being served included. */
  queued: number;
  refusals: number;
  /** A lease of the slots ahead is being made in the background. */
  toppingUp: boolean;
}

const laneState = (): LaneState => ({ held: new Map(), demand: new LaneDemand(), queued: 0, refusals: 0, toppingUp: false });

export class DynamoPacer implements Pacer {
  private readonly layout: PacerLayout;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    readonly ratePerSecond: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.layout = pacerLayout(ratePerSecond);
  }

  /**
   * One request per lane is served at a time, in arrival order; the others queue here. Without
   * that, every waiting request would lease on its own and slots would go to whoever asked
   * last. Each lane queues apart, so transactional mail never waits behind campaign mail.
   */
  acquire(lane: Lane, cost: number, maxWaitMs: number): Promise<boolean> {
    const deadline = Date.now() + maxWaitMs;
    const state = this.lanes[lane];
    state.queued += cost;
    const turn = this.queues[lane]
      .then(() => this.waitForRoom(lane, cost, deadline))
      .finally(() => {
        state.queued -= cost;
      });
    this.queues[lane] = turn.catch(() => undefined);
    return turn;
  }

  private readonly queues: Record<Lane, Promise<unknown>> = { transactional: Promise.resolve(), bulk: Promise.resolve() };
  private readonly lanes: Record<Lane, LaneState> = { transactional: laneState(), bulk: laneState() };
  /** The window the state below is about. */
  private window = -1;
  /** The slot counts last seen on each shard's item this window: lower bounds, as counts only rise. */
  private readonly seen = new Map<number, number[]>();

  private async waitForRoom(lane: Lane, cost: number, deadline: number): Promise<boolean> {
    let counted = false;
    for (;;) {
      const now = this.clock.now().getTime();
      const at = slotAt(this.layout, now);
      this.roll(at.window);
      const state = this.lanes[lane];
      if (!counted) {
        counted = true;
        state.demand.ask(cost, state.queued - cost);
      }
      let wait = at.endMs - now;
      if (lane === 'transactional' || !keptForTransactional(this.layout, at.window, at.slot)) {
        const have = state.held.get(at.index) ?? 0;
        const later = this.laterSlot(state, at, cost);
        const untilLater = later === undefined ? undefined : this.slotStart(at.window, later) - now;
        // Waiting for what the lease already holds costs no write, while it covers all that waits.
        const waitForLater =
          untilLater !== undefined && state.queued <= this.heldSoon(state, at, now) && Date.now() + untilLater <= deadline;
        if (have >= cost || (!waitForLater && (await this.lease(lane, at, cost, cost - have)))) {
          this.spend(state, at.index, cost);
          await this.space(cost);
          return true;
        }
        if (waitForLater) wait = untilLater!;
      }
      if (Date.now() + wait > deadline) return false;
      await sleep(wait);
    }
  }

  /** A later slot of this window in which the lane already holds `cost`: waiting for it costs no write. */
  private laterSlot(state: LaneState, at: SlotTime, cost: number): number | undefined {
    for (let slot = at.slot + 1; slot < this.layout.slots; slot++)
      if ((state.held.get(at.index - at.slot + slot) ?? 0) >= cost) return slot;
    return undefined;
  }

  /** What the lane holds in the slots that start within LOOKAHEAD_MS. */
  private heldSoon(state: LaneState, at: SlotTime, now: number): number {
    const last = slotAt(this.layout, now + LOOKAHEAD_MS);
    let held = 0;
    for (let index = at.index; index <= last.index && index - at.index + at.slot < this.layout.slots; index++)
      held += state.held.get(index) ?? 0;
    return held;
  }

  private slotStart(window: number, slot: number): number {
    return window * PACER_WINDOW_MS + Math.ceil((slot * PACER_WINDOW_MS) / this.layout.slots);
  }

  private spend(state: LaneState, index: number, cost: number): void {
    // A request dearer than a slot's cap leased exactly its cost, into an empty slot.
    const left = (state.held.get(index) ?? 0) - cost;
    if (left > 0) state.held.set(index, left);
    else state.held.delete(index);
  }

  /** A new window: what was leased in the last one is gone, and so is what was seen of its items. */
  private roll(window: number): void {
    if (window === this.window) return;
    for (const state of Object.values(this.lanes)) {
      state.demand.roll(window === this.window + 1);
      state.refusals = 0;
      state.held.clear();
    }
    this.seen.clear();
    this.window = window;
  }

  /** Leases at least `need` in the current slot, and what the lane's demand wants of the slots after it. */
  private async lease(lane: Lane, at: SlotTime, cost: number, need: number): Promise<boolean> {
    const state = this.lanes[lane];
    const { perSecond, unit } = state.demand.estimate(at.slot, this.layout.slots, cost);
    const want = wanted(this.layout, at.slot, need, perSecond, Math.max(0, state.queued - cost), unit);
    for (let write = 0; write < WRITES_PER_TRY; write++) {
      // A refused write shows the shard's counts, and the next try goes where there is room.
      const shard = this.pickShard(lane, at, need, want, unit, state.refusals < REFUSALS_PER_WINDOW);
      if (shard === undefined) return false;
      if (await this.leaseFrom(state, at, shard, this.caps(lane, at.window, shard), want, need, unit)) {
        want[at.slot] = 0;
        if (!state.toppingUp && want.some((w) => w > 0)) {
          state.toppingUp = true;
          void this.topUp(lane, at, want, unit).finally(() => (state.toppingUp = false));
        }
        return true;
      }
      state.refusals++;
    }
    return false;
  }

  /**
   * What the lane still wants of the slots after this one, from the other shards, while none
   * refuses (a lone busy instance gets the whole rate this way, a write per shard and window).
   * In the background: the request that needed this slot is not held up by it.
   */
  private async topUp(lane: Lane, at: SlotTime, want: number[], unit: number): Promise<void> {
    const state = this.lanes[lane];
    try {
      for (let write = 1; write < this.layout.shards && this.window === at.window; write++) {
        const shard = this.pickShard(lane, at, 0, want, unit, false);
        if (shard === undefined) return;
        if (!(await this.leaseFrom(state, at, shard, this.caps(lane, at.window, shard), want, 0, unit))) {
          state.refusals++;
          return;
        }
        if (!want.some((w) => w > 0)) return;
      }
    } catch {
      // Fewer recipients leased ahead: the next request leases what it needs itself.
    }
  }

  /** One lease write on one shard; on success the lane holds what was taken, and `want` is less by it. */
  private async leaseFrom(
    state: LaneState,
    at: SlotTime,
    shard: number,
    caps: number[],
    want: number[],
    need: number,
    unit: number,
  ): Promise<boolean> {
    const take = fitLease(want, caps, at.slot, need, this.seen.get(shard), unit);
    if (!take) return false;
    const ok = await this.write(at.window, shard, take, caps);
    if (!ok || this.window !== at.window) return ok;
    take.forEach((t, slot) => {
      if (t <= 0) return;
      const index = at.index - at.slot + slot;
      state.held.set(index, (state.held.get(index) ?? 0) + t);
      want[slot] = Math.max(0, want[slot]! - t);
    });
    return true;
  }

  private caps(lane: Lane, window: number, shard: number): number[] {
    return Array.from({ length: this.layout.slots }, (_, slot) => slotCap(this.layout, lane, window, slot, shard));
  }

  /**
   * A shard to lease from: one whose item was seen this window with room for `need` now, else
   * (while the lane may still be refused) one not seen yet; at random, so instances spread.
   */
  private pickShard(lane: Lane, at: SlotTime, need: number, want: number[], unit: number, blind: boolean): number | undefined {
    const roomy: number[] = [];
    const unseen: number[] = [];
    for (let shard = 0; shard < this.layout.shards; shard++) {
      const seen = this.seen.get(shard);
      if (!fitLease(want, this.caps(lane, at.window, shard), at.slot, need, seen, unit)) continue;
      (seen ? roomy : unseen).push(shard);
    }
    // After the need is covered, a shard not seen yet is as likely to have room as any.
    const from = roomy.length > 0 ? roomy : blind || need === 0 ? unseen : [];
    return from.length > 0 ? from[Math.floor(Math.random() * from.length)] : undefined;
  }

  /** One lease write; true when taken. Records the counts seen either way. */
  private async write(window: number, shard: number, take: number[], caps: number[]): Promise<boolean> {
    const answer = await writeLease(
      this.client,
      this.tableName,
      { window, shard, slots: this.layout.slots },
      take,
      leaseCeilings(take, caps),
    );
    this.seen.set(shard, answer.counts);
    return answer.taken;
  }

  /**
   * Keeps this process's own sends at least the relay's interval apart. Answers that arrive
   * together after a pause (a busy event loop, a slow network) would otherwise leave for the
   * relay in one burst, although each was leased in its slot.
   */
  private async space(cost: number): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextSendAt);
    this.nextSendAt = at + (1000 * cost) / this.ratePerSecond;
    if (at > now) await sleep(at - now);
  }

  private nextSendAt = 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
