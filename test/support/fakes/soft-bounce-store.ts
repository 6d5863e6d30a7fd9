/** Soft-bounce history in memory. */
import type { SoftBounce, SoftBounceStore } from '../../../lib/ports/soft-bounce-store.ts';

/** A {@link SoftBounceStore} in memory: each bounce id once per address; nothing expires. */
export class MemorySoftBounceStore implements SoftBounceStore {
  /** Bounces per `tenant|email`. */
  readonly bounces = new Map<string, SoftBounce[]>();

  async record(tenant: string, email: string, bounce: SoftBounce, window: { since: string; expiresAt: string }): Promise<string[]> {
    const key = `${tenant}|${email}`;
    const known = this.bounces.get(key) ?? [];
    if (!known.some((b) => b.id === bounce.id)) known.push(bounce);
    this.bounces.set(key, known);
    return known
      .filter((b) => b.at >= window.since)
      .map((b) => b.at)
      .sort();
  }
}
