/** Messages in memory, with the claim and lease rules of the message store. */
import {
  isPending,
  type MessageRecord,
  type MessageStatus,
  type RecipientRecord,
  type StoredMessage,
} from '../../../lib/domain/message.ts';
import type { CancelResult, ClaimResult, MessageStore, MessageWithContent, OutcomeResult } from '../../../lib/ports/message-store.ts';

/**
 * A {@link MessageStore} in memory. `claim`, `release`, `complete` and `cancel` follow the
 * port's conditions (those of DynamoMessageStore); readers get copies, so a test changes a stored
 * message only through `byId`. Outcome recording and listing are not faked: they throw.
 */
export class MemoryMessageStore implements MessageStore {
  readonly byId = new Map<string, StoredMessage>();

  constructor(...messages: StoredMessage[]) {
    for (const m of messages) this.byId.set(m.message.id, structuredClone(m));
  }

  async create(stored: StoredMessage): Promise<void> {
    // Named as the port's contract says (isMessageExistsError), as DynamoMessageStore's is.
    if (this.byId.has(stored.message.id))
      throw Object.assign(new Error(`message ${stored.message.id} exists`), { name: 'MessageExistsError' });
    this.byId.set(stored.message.id, structuredClone(stored));
  }

  async get(id: string): Promise<StoredMessage | undefined> {
    const stored = this.byId.get(id);
    return stored && structuredClone(stored);
  }

  async getContent(id: string): Promise<MessageWithContent | undefined> {
    const stored = this.byId.get(id);
    return stored && { message: structuredClone(stored.message), bodyKept: true };
  }

  async claim(id: string, attempt: number, now: number, leaseUntil: number): Promise<ClaimResult> {
    const stored = this.byId.get(id);
    if (!stored) return { kind: 'missing' };
    const { message } = stored;
    // A canceled message has nothing left to do (as the port says).
    if (message.status === 'canceled') return { kind: 'done' };
    const expired = message.leaseUntil === undefined || message.leaseUntil < now;
    const free =
      (message.attempts === attempt - 1 && expired) || (message.attempts === attempt && message.leaseUntil !== undefined && expired);
    if (!free) {
      if (message.attempts > attempt || (message.attempts === attempt && message.leaseUntil === undefined)) return { kind: 'done' };
      return { kind: 'busy' };
    }
    const takeover = message.attempts === attempt;
    message.attempts = attempt;
    message.leaseUntil = leaseUntil;
    return { kind: 'claimed', stored: structuredClone(stored), takeover };
  }

  async release(id: string, attempt: number, leaseUntil: number): Promise<boolean> {
    const message = this.byId.get(id)?.message;
    if (!message || message.attempts !== attempt || message.leaseUntil !== leaseUntil) return false;
    message.attempts = attempt - 1;
    delete message.leaseUntil;
    return true;
  }

  async complete(id: string, attempt: number, recipients: RecipientRecord[], status: MessageStatus, at: string): Promise<void> {
    const stored = this.byId.get(id);
    if (!stored || stored.message.attempts !== attempt) throw new Error(`message ${id} is no longer at attempt ${attempt}`);
    const unknown = recipients.find((r) => !stored.recipients.some((s) => s.email === r.email));
    if (unknown) throw new Error(`message ${id} has no recipient ${unknown.email}`);
    stored.recipients = stored.recipients.map((s) => structuredClone(recipients.findLast((r) => r.email === s.email) ?? s));
    stored.message.status = status;
    stored.message.updatedAt = at;
    delete stored.message.leaseUntil;
  }

  async cancel(id: string, tenant: string, at: string): Promise<CancelResult> {
    const stored = this.byId.get(id);
    if (!stored || stored.message.tenant !== tenant) return { kind: 'missing' };
    const { message } = stored;
    if (message.status !== 'canceled') {
      const free = message.attempts === 0 && message.leaseUntil === undefined;
      if (!free || (message.status !== 'scheduled' && message.status !== 'queued')) return { kind: 'refused', status: message.status };
      for (const r of stored.recipients.filter((r) => r.status === 'queued')) Object.assign(r, { status: 'canceled', updatedAt: at });
      Object.assign(message, { status: 'canceled', updatedAt: at });
    }
    const recipients = stored.recipients.filter((r) => r.status === 'canceled').map((r) => r.email);
    return { kind: 'canceled', stored: structuredClone(stored), recipients };
  }

  async markFailed(id: string, at: string): Promise<StoredMessage | undefined> {
    return this.move(id, (status) => isPending(status), 'failed', at);
  }

  async requeueFailed(id: string, at: string): Promise<StoredMessage | undefined> {
    return this.move(id, (status) => status === 'failed', 'queued', at, { onlyWithRecipients: true });
  }

  recordOutcome(): Promise<OutcomeResult> {
    return Promise.reject(new Error('MemoryMessageStore does not record outcomes'));
  }

  listByTenant(): Promise<{ items: MessageRecord[]; cursor?: string }> {
    return Promise.reject(new Error('MemoryMessageStore does not list messages'));
  }

  /** Moves the message and its recipients whose status `matches` to `to`, dropping any lease. */
  private move(
    id: string,
    matches: (status: MessageStatus) => boolean,
    to: MessageStatus,
    at: string,
    options: { onlyWithRecipients?: boolean } = {},
  ): StoredMessage | undefined {
    const stored = this.byId.get(id);
    if (!stored) return undefined;
    const moving = stored.recipients.filter((r) => matches(r.status));
    if (options.onlyWithRecipients && moving.length === 0) return structuredClone(stored);
    for (const r of moving) Object.assign(r, { status: to, updatedAt: at });
    Object.assign(stored.message, { status: to, updatedAt: at });
    delete stored.message.leaseUntil;
    return structuredClone(stored);
  }
}
