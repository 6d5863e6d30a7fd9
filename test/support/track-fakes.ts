/** The tracking use cases' and handler's dependencies over in-memory ports, and a message to track. */
import { createLinkSigner, type LinkPayload } from '../../lib/domain/links.ts';
import type { Contact, ContactStatus, MailingList } from '../../lib/domain/mailing-list.ts';
import type { StoredMessage } from '../../lib/domain/message.ts';
import type { ContactStore } from '../../lib/ports/list-store.ts';
import type { TrackDeps } from '../../lib/use-cases/track.ts';
import { clockAt, MemoryEventStore, MemoryListStore, MemoryMessageStore, MemoryUnsubscribeStore, memoryLog } from './fakes/index.ts';

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

export const linkSigner = createLinkSigner(Buffer.alloc(32, 5));

/** A token for the campaign message's recipient. */
export function tokenFor(payload: Partial<LinkPayload> & Pick<LinkPayload, 'k'>): string {
  return linkSigner.sign({ t: 'acme', m: '01M8HC6RCH8RQF05HS4EE24JD1', r: 'ann@example.org', ...payload } as LinkPayload);
}

/** Tracking dependencies over fakes, with the clock at `now`. */
export function trackDeps(options: { now?: string; messages?: StoredMessage[]; contacts?: string[]; lists?: MailingList[] } = {}) {
  const messages = new MemoryMessageStore(...(options.messages ?? [campaignMessage()]));
  const events = new MemoryEventStore();
  const unsubscribes = new MemoryUnsubscribeStore();
  const contacts = new FakeContacts(options.contacts ?? ['acme|list-1|ann@example.org']);
  const log = memoryLog();
  let n = 0;
  const clock = clockAt(options.now ?? '2026-11-28T16:00:00.000Z');
  const deps: TrackDeps = {
    signer: linkSigner,
    messages,
    events,
    unsubscribes,
    contacts,
    lists: new MemoryListStore(
      ...(options.lists ?? [{ id: 'list-1', tenant: 'acme', name: 'Weekly <deals> & news', createdAt: SENT_AT, updatedAt: SENT_AT }]),
    ),
    clock,
    newId: () => `ID${++n}`,
    log,
  };
  return { deps, messages, events, unsubscribes, contacts, log };
}
