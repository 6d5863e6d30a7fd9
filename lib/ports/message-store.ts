import type { MessageRecord, MessageStatus, RecipientRecord, RelayAnswer, StoredMessage } from '../domain/message.ts';

/** Result of trying to start a delivery attempt. */
export type ClaimResult =
  /**
   * The caller now holds the lease for this attempt. `takeover` when the attempt had been begun
   * by a worker whose lease ran out: that worker may have relayed the message already.
   */
  | { kind: 'claimed'; stored: StoredMessage; takeover: boolean }
  /** This attempt (or a later one) already finished, or the message was canceled: the job has nothing to do. */
  | { kind: 'done' }
  /** Another worker holds an unexpired lease for this attempt. */
  | { kind: 'busy' }
  /** No such message. */
  | { kind: 'missing' };

/** An outcome reported for one recipient after the relay took the message (an SES delivery, bounce, complaint…). */
export interface RecipientOutcome {
  /** The recipient's normalised address, as stored. */
  email: string;
  status: MessageStatus;
  /** When it happened (ISO). */
  at: string;
  /** The receiving server's answer, when the report carries one; replaces `lastAnswer`. */
  answer?: RelayAnswer;
  /** Amazon SES's message id, kept on the recipient (the first one given stays). */
  sesMessageId?: string;
}

/** What recording an outcome did. */
export type OutcomeResult =
  /** The recipient moved from `previous` to the outcome; the message's status is now `messageStatus`. */
  | { kind: 'applied'; previous: MessageStatus; messageStatus: MessageStatus }
  /** The recipient's status already outranks the outcome (or is final): nothing changed. */
  | { kind: 'kept'; current: MessageStatus }
  /** The recipient's delivery attempt is still being recorded: report it again later. */
  | { kind: 'pending' }
  /** No such message, or no such recipient of it. */
  | { kind: 'missing' };

/** What canceling a message did. */
export type CancelResult =
  /**
   * The message is canceled, by this call or an earlier one: `stored` as it is now (recipients,
   * no bodies), `recipients` the addresses it will now never be sent to.
   */
  | { kind: 'canceled'; stored: StoredMessage; recipients: string[] }
  /** Delivery has taken the message, or it is finished: `status` is its stored status. */
  | { kind: 'refused'; status: MessageStatus }
  /** No such message of this tenant. */
  | { kind: 'missing' };

/** A message with its bodies, for reading its content. */
export interface MessageWithContent {
  /** The message, its bodies in `content` while they are kept. */
  message: MessageRecord;
  /** False when the message had bodies and they are no longer kept (their retention ended). */
  bodyKept: boolean;
}

/** Whether `error` is MessageStore.create's refusal of an id that exists (adapters name it `MessageExistsError`). */
export function isMessageExistsError(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'MessageExistsError';
}

/** Messages and their recipients. */
export interface MessageStore {
  /**
   * Stores a new message and its recipients. Fails with a `MessageExistsError` if the id exists.
   * (A message whose id was made for it just now is written by a MessageBatchWriter instead.)
   */
  create(stored: StoredMessage): Promise<void>;
  /** The message and its recipients, or undefined. Callers check the tenant. */
  get(id: string): Promise<StoredMessage | undefined>;
  /** The message with its bodies, saying whether they are still kept, or undefined. Callers check the tenant. */
  getContent(id: string): Promise<MessageWithContent | undefined>;
  /**
   * Starts attempt `attempt` of message `id` with a conditional write: it succeeds when the
   * message has had `attempt - 1` attempts, or when attempt `attempt` was begun by a worker
   * whose lease expired before `now` (that worker died), and never for a canceled message
   * (`cancel` writes the same item: of a claim and a cancel, one wins). Sets
   * `attempts = attempt` and `leaseUntil`. Everything is epoch ms. `bodies`: the message's
   * bodies packed (packed-bodies.ts), when the caller has them (a first delivery job carries
   * them): the claimed message has them without a read.
   */
  claim(id: string, attempt: number, now: number, leaseUntil: number, bodies?: Uint8Array): Promise<ClaimResult>;
  /**
   * Gives back a claim that sent nothing (delivery is paced and the relay had no room): the
   * message is at `attempt - 1` attempts again with no lease, if attempt `attempt` still holds
   * the lease `leaseUntil`. False when it did not (another worker took over).
   */
  release(id: string, attempt: number, leaseUntil: number): Promise<boolean>;
  /**
   * Ends attempt `attempt`: writes the given recipients (their new status, attempts and
   * answer), sets the message's status, and removes the lease, all only if `attempts` is
   * still `attempt`.
   */
  complete(id: string, attempt: number, recipients: RecipientRecord[], status: MessageStatus, at: string): Promise<void>;
  /**
   * Cancels message `id` of `tenant` with a conditional write on the item `claim` writes, so
   * that of a cancel and a claim only one succeeds: while the message is `scheduled` or
   * `queued` and no attempt holds it or has begun, it and its `queued` recipients become
   * `canceled` (updated `at`). A message canceled already is answered as it stands.
   */
  cancel(id: string, tenant: string, at: string): Promise<CancelResult>;
  /** Marks the message and every still-pending recipient `failed` (it cannot be processed). */
  markFailed(id: string, at: string): Promise<StoredMessage | undefined>;
  /**
   * Undoes markFailed for a job redriven from the dead-letter queue: the message's `failed`
   * recipients become `queued` again, as does the message (its attempts count stays, any lease
   * is dropped). A message without failed recipients is returned unchanged; undefined when missing.
   */
  requeueFailed(id: string, at: string): Promise<StoredMessage | undefined>;
  /**
   * Moves one recipient's status forward only (see lib/domain/recipient-outcome.ts) and
   * recomputes the message's overall status, so that duplicated or reordered reports leave
   * the same final state. Concurrent calls for the same message do not lose each other's update.
   */
  recordOutcome(id: string, outcome: RecipientOutcome): Promise<OutcomeResult>;
  /** A tenant's messages, newest first. */
  listByTenant(tenant: string, options: { limit: number; cursor?: string }): Promise<{ items: MessageRecord[]; cursor?: string }>;
}
