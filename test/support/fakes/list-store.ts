/** Mailing lists in memory. */
import type { MailingList } from '../../../lib/domain/mailing-list.ts';
import type { Page } from '../../../lib/domain/suppression.ts';
import type { ListStore } from '../../../lib/ports/list-store.ts';

/** A {@link ListStore} in memory; `lists` is keyed by `tenant|id`. */
export class MemoryListStore implements ListStore {
  readonly lists = new Map<string, MailingList>();

  constructor(...lists: MailingList[]) {
    for (const list of lists) this.lists.set(this.key(list.tenant, list.id), list);
  }

  private key(tenant: string, id: string): string {
    return `${tenant}|${id}`;
  }

  async create(list: MailingList): Promise<void> {
    if (this.lists.has(this.key(list.tenant, list.id))) throw new Error(`list ${list.id} exists`);
    this.lists.set(this.key(list.tenant, list.id), list);
  }

  async get(tenant: string, id: string): Promise<MailingList | undefined> {
    return this.lists.get(this.key(tenant, id));
  }

  /** Pages in id order; the cursor is the last id of the page before. */
  async list(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<MailingList>> {
    const all = [...this.lists.values()]
      .filter((l) => l.tenant === tenant && (options.cursor === undefined || l.id > options.cursor))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const items = all.slice(0, options.limit);
    return all.length > items.length ? { items, cursor: items.at(-1)!.id } : { items };
  }

  async delete(tenant: string, id: string): Promise<boolean> {
    return this.lists.delete(this.key(tenant, id));
  }
}
