import type { Unsubscribe } from '../domain/mailing-list.ts';

/** Unsubscribes people made themselves, per tenant. Addresses are given normalised. */
export interface UnsubscribeStore {
  /** Records an unsubscribe (idempotent: the same scope and address again changes nothing but the time). */
  put(entry: Unsubscribe): Promise<void>;
  /** Removes the unsubscribe of one scope (`listId` absent: all marketing mail); false when there was none. */
  delete(tenant: string, email: string, listId?: string): Promise<boolean>;
  /**
   * The addresses among `emails` that must not get mail of list `listId`: those that left
   * that list or all of the tenant's marketing mail, keyed by address. Where both exist, the
   * wider one (all marketing mail) is the address's entry.
   */
  findMany(tenant: string, listId: string, emails: string[]): Promise<Map<string, Unsubscribe>>;
  /**
   * What keeps `email` from the mail of list `listId` (as findMany: all marketing mail before
   * the list's own), or without a list, its unsubscribe from all marketing mail.
   */
  find(tenant: string, email: string, listId?: string): Promise<Unsubscribe | undefined>;
}
