import type { Contact, ContactStatus, MailingList } from '../domain/mailing-list.ts';
import type { Page } from '../domain/suppression.ts';

/** A tenant's mailing lists. */
export interface ListStore {
  /** Throws when a list with the id exists. */
  create(list: MailingList): Promise<void>;
  get(tenant: string, id: string): Promise<MailingList | undefined>;
  /** Lists in id (creation) order; `cursor` is opaque and comes from the previous page. */
  list(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<MailingList>>;
  /** Removes the list record (its contacts are removed apart); false when there was none. */
  delete(tenant: string, id: string): Promise<boolean>;
}

/** The contacts of a tenant's lists. Addresses are given normalised. */
export interface ContactStore {
  get(tenant: string, listId: string, email: string): Promise<Contact | undefined>;
  /** The contacts among `emails` that are on the list, keyed by address. */
  getMany(tenant: string, listId: string, emails: string[]): Promise<Map<string, Contact>>;
  /** Adds or replaces a contact. */
  put(contact: Contact): Promise<void>;
  /** Adds or replaces many contacts (an import); every one is written or the call throws. */
  putMany(contacts: Contact[]): Promise<void>;
  /** False when there was none. */
  delete(tenant: string, listId: string, email: string): Promise<boolean>;
  /** Removes the contacts with these addresses (absent ones are no error); every one is removed or the call throws. */
  deleteMany(tenant: string, listId: string, emails: string[]): Promise<void>;
  /** Sets the status of an existing contact; false when there is no such contact. */
  setStatus(tenant: string, listId: string, email: string, status: ContactStatus, at: string): Promise<boolean>;
  /** Contacts in address order; `cursor` is opaque and comes from the previous page. */
  page(tenant: string, listId: string, options: { limit: number; cursor?: string }): Promise<Page<Contact>>;
}
