/**
 * An instance's recent demand on one pacing lane, by window (second): what its requests asked
 * for, how many there were, and how many found others queued behind them. Leases are sized
 * from it (lib/domain/pacing.ts `wanted`).
 */
export class LaneDemand {
  private asked = 0;
  private askedBefore = 0;
  private requests = 0;
  private requestsBefore = 0;
  private crowded = 0;
  private crowdedBefore = 0;

  /** A new window: this one's counts become the last window's, or are dropped when `next` is false (a gap of a window or more). */
  roll(next: boolean): void {
    this.askedBefore = next ? this.asked : 0;
    this.requestsBefore = next ? this.requests : 0;
    this.crowdedBefore = next ? this.crowded : 0;
    this.asked = this.requests = this.crowded = 0;
  }

  /** A request for `cost` recipients, with `behind` recipients queued after it. */
  ask(cost: number, behind: number): void {
    this.asked += cost;
    this.requests++;
    if (behind > 0) this.crowded++;
  }

  /**
   * Recipients a second the lane wants besides the request of `cost` being served, at slot
   * `slot` of `slots`: the last window's, or this one's so far if higher; half as much again
   * when its requests all found others queued behind them (it wants more than it got). And its
   * usual request, in recipients.
   */
  estimate(slot: number, slots: number, cost: number): { perSecond: number; unit: number } {
    const elapsed = (slot + 1) / slots;
    const requests = this.requests + this.requestsBefore;
    const crowding = (this.crowded + this.crowdedBefore) / Math.max(1, requests);
    const perSecond = Math.max(this.askedBefore, Math.max(0, this.asked - cost) / elapsed) * (1 + crowding / 2);
    const unit = requests > 0 ? Math.max(1, Math.round((this.asked + this.askedBefore) / requests)) : cost;
    return { perSecond, unit };
  }
}
