/** The send queue's dead-letter queue, as the redrive reads it. */

/** A message of the dead-letter queue. */
export interface DeadLetter {
  body: string;
  /** Why it was dead-lettered, when mailroom said (the `reason` attribute). */
  reason?: string;
}

/** The send queue's dead-letter queue, read once from start to end. */
export interface DeadLetterQueue<L extends DeadLetter = DeadLetter> {
  /** Up to 10 letters not received before in this run (they stay hidden until deleted or released); none at the end. */
  receive(): Promise<L[]>;
  /** Removes letters for good. */
  delete(letters: L[]): Promise<void>;
  /** Makes letters visible again at once (those left in the queue). */
  release(letters: L[]): Promise<void>;
}
