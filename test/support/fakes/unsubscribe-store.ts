/** Unsubscribes in memory. */
import type { Unsubscribe } from '../../../lib/domain/mailing-list.ts';
import type { UnsubscribeStore } from '../../../lib/ports/unsubscribe-store.ts';

/** An {@link UnsubscribeStore} in memory; `entries` is keyed by `tenant|list (or *)|email`. */
export class MemoryUnsubscribeStore implements UnsubscribeStore {
  readonly entries = new Map<string, Unsubscribe>();

  constructor(...entries: Unsubscribe[]) {
    for (const entry of entries) this.entries.set(this.key(entry.tenant, entry.email, entry.listId), entry);
  }

  private key(tenant: string, email: string, listId?: string): string {
    return `${tenant}|${listId ?? '*'}|${email}`;
  }

  async put(entry: Unsubscribe): Promise<void> {
    this.entries.set(this.key(entry.tenant, entry.email, entry.listId), entry);
  }

  async delete(tenant: string, email: string, listId?: string): Promise<boolean> {
    return this.entries.delete(this.key(tenant, email, listId));
  }

  async findMany(tenant: string, listId: string, emails: string[]): Promise<Map<string, Unsubscribe>> {
    const found = new Map<string, Unsubscribe>();
    for (const email of emails) {
      const entry = await this.find(tenant, email, listId);
      if (entry) found.set(email, entry);
    }
    return found;
  }

  /** All marketing mail outranks a list's own unsubscribe, as in the store. */
  async find(tenant: string, email: string, listId?: string): Promise<Unsubscribe | undefined> {
    return (
      this.entries.get(this.key(tenant, email)) ?? (listId === undefined ? undefined : this.entries.get(this.key(tenant, email, listId)))
    );
  }
}
