/** Paces delivery to the relay's maximum rate, shared by every delivery worker. */
export interface Pacer {
  /** Recipients per second the relay takes. */
  readonly ratePerSecond: number;
  /**
   * Waits until `cost` recipients fit in the relay's allowance and takes them: the whole rate
   * for transactional mail, only the bulk share for campaign mail. False, taking nothing,
   * when that would mean waiting longer than `maxWaitMs`.
   */
  acquire(lane: 'transactional' | 'bulk', cost: number, maxWaitMs: number): Promise<boolean>;
}
