import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../../lib/domain/errors.ts';
import type { Contact, MailingList, Unsubscribe } from '../../../lib/domain/mailing-list.ts';
import type { ContactStore } from '../../../lib/ports/list-store.ts';
import { MAX_ROW_ERRORS } from '../../../lib/domain/import-plan.ts';
import { importContacts, type ImportDeps } from '../../../lib/use-cases/contact-import.ts';
import { clockAt, MemoryListStore, MemoryUnsubscribeStore, memoryLog } from '../../support/fakes/index.ts';

const LIST_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const NOW = '2026-11-28T12:00:00.000Z';
const list: MailingList = { id: LIST_ID, tenant: 'acme', name: 'News', createdAt: NOW, updatedAt: NOW };

/** Stores in memory; `failWritesAfter` makes putMany throw after that many calls. */
function deps(options: { existing?: Contact[]; unsubscribed?: Unsubscribe[]; failWritesAfter?: number } = {}) {
  const stored = new Map((options.existing ?? []).map((c) => [c.email, c]));
  let writes = 0;
  const contacts = {
    getMany: async (_t: string, _l: string, emails: string[]) =>
      new Map(emails.filter((e) => stored.has(e)).map((e) => [e, stored.get(e)!])),
    putMany: async (batch: Contact[]) => {
      if (options.failWritesAfter !== undefined && writes++ >= options.failWritesAfter)
        throw new Error('BatchWriteItem: 25 item(s) still unprocessed after retries');
      for (const contact of batch) stored.set(contact.email, contact);
    },
  } as unknown as ContactStore;
  const unsubscribes = new MemoryUnsubscribeStore(...(options.unsubscribed ?? []));
  const log = memoryLog();
  const all: ImportDeps = { lists: new MemoryListStore(list), contacts, unsubscribes, clock: clockAt(NOW), log };
  return { deps: all, stored, log };
}

const json = (contacts: unknown[]) => ({ format: 'json' as const, body: { contacts } });

describe('importContacts', () => {
  it('keeps each contact’s creation time, and its status when the row gives none', async () => {
    const old: Contact = {
      tenant: 'acme',
      listId: LIST_ID,
      email: 'a@example.com',
      attributes: { x: 1 },
      status: 'unsubscribed',
      createdAt: '2020-01-01T00:00:00.000Z',
      updatedAt: '2020-01-01T00:00:00.000Z',
    };
    const { deps: d, stored } = deps({ existing: [old] });
    const answer = await importContacts(
      d,
      'acme',
      LIST_ID,
      json([{ email: 'a@example.com', attributes: { y: 2 } }, { email: 'b@example.com' }]),
    );
    expect(answer).toEqual({ imported: 2, failed_count: 0, failed: [], unsubscribed: [], duplicates: [] });
    expect(stored.get('a@example.com')).toEqual({ ...old, attributes: { y: 2 }, updatedAt: NOW });
    expect(stored.get('b@example.com')).toMatchObject({ status: 'subscribed', attributes: {}, createdAt: NOW });
  });

  it('lets the last valid row for an address win and names the rows it supersedes', async () => {
    const { deps: d, stored } = deps();
    const answer = await importContacts(
      d,
      'acme',
      LIST_ID,
      json([
        { email: 'a@example.com', attributes: { v: 1 } },
        { email: 'a@EXAMPLE.com', attributes: { v: 2 } },
        { email: 'a@example.com', attributes: { v: 3 } },
        { email: 'a@example.com', attributes: { 'bad key': 4 } },
      ]),
    );
    expect(answer.imported).toBe(1);
    expect(answer.duplicates).toEqual([
      { row: 1, email: 'a@example.com', kept_row: 3 },
      { row: 2, email: 'a@example.com', kept_row: 3 },
    ]);
    expect(answer.failed).toEqual([
      { row: 4, email: 'a@example.com', errors: [{ field: 'attributes.bad key', message: expect.any(String) }] },
    ]);
    expect(stored.get('a@example.com')?.attributes).toEqual({ v: 3 });
  });

  it('reports people who unsubscribed, unless the row unsubscribes them too', async () => {
    const entry = (email: string): Unsubscribe => ({ tenant: 'acme', email, createdAt: NOW });
    const { deps: d } = deps({ unsubscribed: [entry('a@example.com'), entry('b@example.com'), entry('c@example.com')] });
    const answer = await importContacts(
      d,
      'acme',
      LIST_ID,
      json([
        { email: 'a@example.com', status: 'subscribed' },
        { email: 'b@example.com' },
        { email: 'c@example.com', status: 'unsubscribed' },
      ]),
    );
    expect(answer.unsubscribed).toEqual(['a@example.com', 'b@example.com']);
  });

  it(`lists at most ${MAX_ROW_ERRORS} problems per row and says how many it left out`, async () => {
    const { deps: d } = deps();
    const attributes = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`bad-${i}`, 1]));
    const [row] = (await importContacts(d, 'acme', LIST_ID, json([{ email: 'a@example.com', attributes }]))).failed;
    expect(row?.errors).toHaveLength(MAX_ROW_ERRORS);
    expect(row?.errors_omitted).toBe(8 - MAX_ROW_ERRORS);
  });

  it('answers 503 saying a re-run is safe when storage fails after its retries', async () => {
    const { deps: d, log } = deps({ failWritesAfter: 1 });
    const rows = Array.from({ length: 2500 }, (_, i) => ({ email: `u${i}@example.com` }));
    const error = await importContacts(d, 'acme', LIST_ID, json(rows)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).message).toMatch(/Running the same import again is safe/);
    expect(log.lines.filter((line) => line.level === 'warn')).toHaveLength(1);
  });
});
