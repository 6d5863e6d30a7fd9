/** Mailing lists, their contacts, and the unsubscribes people make themselves. */

/** A tenant's mailing list. */
export interface MailingList {
  /** Time-sortable id (ULID). */
  id: string;
  tenant: string;
  name: string;
  description?: string;
  /** ISO times. */
  createdAt: string;
  updatedAt: string;
}

export const CONTACT_STATUSES = ['subscribed', 'unsubscribed'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

/** Values a contact attribute may hold (personalisation data). */
export type AttributeValue = string | number | boolean | null;

/** One address on a list. */
export interface Contact {
  tenant: string;
  listId: string;
  /** Normalised bare address. */
  email: string;
  /** Personalisation data, e.g. `{ first_name: "Ada" }`. */
  attributes: Record<string, AttributeValue>;
  /**
   * As set through the API. A person's own unsubscribe (an Unsubscribe) outranks it: the
   * contact's effective status is `unsubscribed` while one exists.
   */
  status: ContactStatus;
  createdAt: string;
  updatedAt: string;
}

/** An unsubscribe a person made, from one list or from all of the tenant's marketing mail. */
export interface Unsubscribe {
  tenant: string;
  /** Normalised bare address. */
  email: string;
  /** The list left; absent when the person left all of the tenant's marketing mail. */
  listId?: string;
  /** ISO time. */
  createdAt: string;
  /** The message whose link was used, when one was. */
  messageId?: string;
  campaign?: string;
}
