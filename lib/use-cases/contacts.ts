/**
 * The contacts of a list through the API. A person's own unsubscribe (from the list or from
 * all marketing mail) outranks the status the API set: such a contact shows as `unsubscribed`,
 * and the API cannot subscribe it again; only the person can, through the link in a message.
 */
import { pathAddress } from '../domain/address.ts';
import {
  ContactNotFoundError,
  ContactUnsubscribedError,
  mergeAttributes,
  parseContactInput,
  parseContactPatch,
} from '../domain/list-requests.ts';
import type { Contact, Unsubscribe } from '../domain/mailing-list.ts';
import type { Clock } from '../ports/clock.ts';
import type { ContactStore, ListStore } from '../ports/list-store.ts';
import type { UnsubscribeStore } from '../ports/unsubscribe-store.ts';
import { pageLimit, requireList } from './lists.ts';

export interface ContactDeps {
  lists: ListStore;
  contacts: ContactStore;
  unsubscribes: UnsubscribeStore;
  clock: Clock;
}

/** A contact as the API shows it: its effective status, and the person's unsubscribe when there is one. */
export function contactView(contact: Contact, unsubscribe?: Unsubscribe) {
  return {
    email: contact.email,
    status: unsubscribe ? 'unsubscribed' : contact.status,
    ...(unsubscribe && {
      unsubscribed_at: unsubscribe.createdAt,
      unsubscribe_scope: unsubscribe.listId === undefined ? ('marketing' as const) : ('list' as const),
    }),
    attributes: contact.attributes,
    created_at: contact.createdAt,
    updated_at: contact.updatedAt,
  };
}

async function unsubscribeOf(deps: ContactDeps, tenant: string, listId: string, email: string): Promise<Unsubscribe | undefined> {
  return (await deps.unsubscribes.findMany(tenant, listId, [email])).get(email);
}

/**
 * Adds a contact, or replaces the one with that address (its attributes as given; its status
 * as given, else as it was, else `subscribed`). `created` tells which.
 */
export async function addContact(deps: ContactDeps, tenant: string, rawListId: string, body: unknown) {
  const list = await requireList(deps.lists, tenant, rawListId);
  const input = parseContactInput(body);
  const [existing, unsubscribe] = await Promise.all([
    deps.contacts.get(tenant, list.id, input.email),
    unsubscribeOf(deps, tenant, list.id, input.email),
  ]);
  if (unsubscribe && input.status === 'subscribed') throw new ContactUnsubscribedError();
  const now = deps.clock.now().toISOString();
  const contact: Contact = {
    tenant,
    listId: list.id,
    email: input.email,
    attributes: input.attributes ?? {},
    status: input.status ?? existing?.status ?? 'subscribed',
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await deps.contacts.put(contact);
  return { created: !existing, contact: contactView(contact, unsubscribe) };
}

export async function listContacts(deps: ContactDeps, tenant: string, rawListId: string, query: { limit?: string; cursor?: string }) {
  const list = await requireList(deps.lists, tenant, rawListId);
  const page = await deps.contacts.page(tenant, list.id, { limit: pageLimit(query.limit), ...(query.cursor && { cursor: query.cursor }) });
  const unsubscribes = page.items.length
    ? await deps.unsubscribes.findMany(
        tenant,
        list.id,
        page.items.map((contact) => contact.email),
      )
    : new Map<string, Unsubscribe>();
  return { data: page.items.map((contact) => contactView(contact, unsubscribes.get(contact.email))), next_cursor: page.cursor ?? null };
}

export async function getContact(deps: ContactDeps, tenant: string, rawListId: string, rawEmail: string) {
  const list = await requireList(deps.lists, tenant, rawListId);
  const email = pathAddress(rawEmail);
  const [contact, unsubscribe] = await Promise.all([
    deps.contacts.get(tenant, list.id, email),
    unsubscribeOf(deps, tenant, list.id, email),
  ]);
  if (!contact) throw new ContactNotFoundError();
  return contactView(contact, unsubscribe);
}

/**
 * Changes a contact: `attributes` are merged into its own (`null` removes one), `status` is
 * set. Subscribing a person who unsubscribed is a 409 and changes nothing.
 */
export async function updateContact(deps: ContactDeps, tenant: string, rawListId: string, rawEmail: string, body: unknown) {
  const list = await requireList(deps.lists, tenant, rawListId);
  const email = pathAddress(rawEmail);
  const patch = parseContactPatch(body, email);
  const [existing, unsubscribe] = await Promise.all([
    deps.contacts.get(tenant, list.id, email),
    unsubscribeOf(deps, tenant, list.id, email),
  ]);
  if (!existing) throw new ContactNotFoundError();
  if (unsubscribe && patch.status === 'subscribed') throw new ContactUnsubscribedError();
  const now = deps.clock.now().toISOString();
  const updated: Contact = {
    ...existing,
    attributes: patch.attributes ? mergeAttributes(existing.attributes, patch.attributes) : existing.attributes,
    status: patch.status ?? existing.status,
    updatedAt: now,
  };
  if (patch.attributes) await deps.contacts.put(updated);
  // A status alone is a conditional update, so a contact removed meanwhile is not brought back.
  else if (!(await deps.contacts.setStatus(tenant, list.id, email, updated.status, now))) throw new ContactNotFoundError();
  return contactView(updated, unsubscribe);
}

export async function removeContact(deps: ContactDeps, tenant: string, rawListId: string, rawEmail: string): Promise<void> {
  const list = await requireList(deps.lists, tenant, rawListId);
  if (!(await deps.contacts.delete(tenant, list.id, pathAddress(rawEmail)))) throw new ContactNotFoundError();
}
