/** In-memory ports for the tracking use cases and handler, and a message to track. */
import type { MailEvent } from '../../lib/domain/events.ts';
import { createLinkSigner, type LinkPayload } from '../../lib/domain/links.ts';
import type { Contact, ContactStatus, MailingList, Unsubscribe } from '../../lib/domain/mailing-list.ts';
import type { StoredMessage } from '../../lib/domain/message.ts';
import type { EventStore } from '../../lib/ports/event-store.ts';
import type { ContactStore, ListStore } from '../../lib/ports/list-store.ts';
import type { MessageStore } from '../../lib/ports/message-store.ts';
import type { UnsubscribeStore } from '../../lib/ports/unsubscribe-store.ts';
import type { TrackDeps } from '../../lib/use-cases/track.ts';
import type { Log } from '../../lib/ports/logger.ts';

/** Collects log lines. */
export function memoryLog(): Log & { lines: { level: string; message: string; extra?: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, extra?: Record<string, unknown>) =>
    void lines.push({ level, message, ...(extra && { extra }) });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const SENT_AT = '2026-11-28T15:00:00.000Z';

/** A campaign message to ann@example.org, sent at SENT_AT. */
export function campaignMessage(overrides: Partial<StoredMessage['message']> = {}): StoredMessage {
  const message: StoredMessage['message'] = {
    id: '01M8HC6RCH8RQF05HS4EE24JD1',
    tenant: 'acme',
    createdAt: '2026-11-28T14:59:59.000Z',
    updatedAt: SENT_AT,
    messageIdHeader: '<01m8hc6rch8rqf05hs4ee24jd1@shop.example>',
    envelopeFrom: 'news@shop.example',
    content: {
      from: 'news@shop.example',
      to: ['ann@example.org'],
      cc: [],
      bcc: [],
      replyTo: [],
      subject: 'Sale',
      html: '<p>Sale</p>',
      headers: {},
    },
    tags: { kind: 'newsletter' },
    metadata: {},
    list: 'list-1',
    campaign: 'camp-1',
    status: 'sent',
    attempts: 1,
    ...overrides,
  };
  return {
    message,
    recipients: [{ messageId: message.id, email: 'ann@example.org', kind: 'to', status: 'sent', attempts: 1, updatedAt: SENT_AT }],
  };
}

export class FakeMessages implements Pick<MessageStore, 'get'> {
  readonly byId = new Map<string, StoredMessage>();
  constructor(...messages: StoredMessage[]) {
    for (const m of messages) this.byId.set(m.message.id, m);
  }
  async get(id: string) {
    return this.byId.get(id);
  }
}

export class FakeEvents implements EventStore {
  readonly events: MailEvent[] = [];
  failing = false;
  async append(events: MailEvent[]) {
    if (this.failing) throw new Error('events table unavailable');
    for (const e of events) if (!this.events.some((x) => x.eventId === e.eventId)) this.events.push(e);
  }
  async list(messageId: string) {
    return this.events.filter((e) => e.messageId === messageId);
  }
}

export class FakeUnsubscribes implements UnsubscribeStore {
  readonly entries = new Map<string, Unsubscribe>();
  private key(tenant: string, email: string, listId?: string) {
    return `${tenant}|${listId ?? '*'}|${email}`;
  }
  async put(entry: Unsubscribe) {
    this.entries.set(this.key(entry.tenant, entry.email, entry.listId), entry);
  }
  async delete(tenant: string, email: string, listId?: string) {
    return this.entries.delete(this.key(tenant, email, listId));
  }
  async findMany(tenant: string, listId: string, emails: string[]) {
    const found = new Map<string, Unsubscribe>();
    for (const email of emails) {
      const entry = this.entries.get(this.key(tenant, email, listId)) ?? this.entries.get(this.key(tenant, email));
      if (entry) found.set(email, entry);
    }
    return found;
  }
}

/** Contacts: only what tracking uses (setStatus), the rest refuses. */
export class FakeContacts implements ContactStore {
  readonly statuses = new Map<string, ContactStatus>();
  constructor(readonly known: string[] = []) {}
  async setStatus(tenant: string, listId: string, email: string, status: ContactStatus) {
    const key = `${tenant}|${listId}|${email}`;
    if (!this.known.includes(key)) return false;
    this.statuses.set(key, status);
    return true;
  }
  get(): Promise<Contact | undefined> {
    throw new Error('not used');
  }
  getMany(): Promise<Map<string, Contact>> {
    throw new Error('not used');
  }
  put(): Promise<void> {
    throw new Error('not used');
  }
  putMany(): Promise<void> {
    throw new Error('not used');
  }
  delete(): Promise<boolean> {
    throw new Error('not used');
  }
  deleteMany(): Promise<void> {
    throw new Error('not used');
  }
  page(): Promise<never> {
    throw new Error('not used');
  }
}

export class FakeLists implements Pick<ListStore, 'get'> {
  constructor(private readonly lists: MailingList[] = []) {}
  async get(tenant: string, id: string) {
    return this.lists.find((l) => l.tenant === tenant && l.id === id);
  }
}

export const linkSigner = createLinkSigner(Buffer.alloc(32, 5));

/** A token for the campaign message's recipient. */
export function tokenFor(payload: Partial<LinkPayload> & Pick<LinkPayload, 'k'>): string {
  return linkSigner.sign({ t: 'acme', m: '01M8HC6RCH8RQF05HS4EE24JD1', r: 'ann@example.org', ...payload } as LinkPayload);
}

/** Tracking dependencies over fakes, with the clock at `now`. */
export function trackDeps(options: { now?: string; messages?: StoredMessage[]; contacts?: string[]; lists?: MailingList[] } = {}) {
  const messages = new FakeMessages(...(options.messages ?? [campaignMessage()]));
  const events = new FakeEvents();
  const unsubscribes = new FakeUnsubscribes();
  const contacts = new FakeContacts(options.contacts ?? ['acme|list-1|ann@example.org']);
  const log = memoryLog();
  let n = 0;
  const clock = { now: () => new Date(options.now ?? '2026-11-28T16:00:00.000Z') };
  const deps: TrackDeps = {
    signer: linkSigner,
    messages: messages as unknown as MessageStore,
    events,
    unsubscribes,
    contacts,
    lists: new FakeLists(
      options.lists ?? [{ id: 'list-1', tenant: 'acme', name: 'Weekly <deals> & news', createdAt: SENT_AT, updatedAt: SENT_AT }],
    ) as unknown as ListStore,
    clock,
    newId: () => `ID${++n}`,
    log,
  };
  return { deps, messages, events, unsubscribes, contacts, log };
}
