/** A tenant's suppression list in memory. */
import type { Page, Suppression } from '../../../lib/domain/suppression.ts';
import type { SuppressionStore } from '../../../lib/ports/suppression-store.ts';

/** A {@link SuppressionStore} in memory; `entries` is keyed by `tenant|email`. */
export class MemorySuppressionStore implements SuppressionStore {
  readonly entries = new Map<string, Suppression>();

  constructor(...entries: Suppression[]) {
    for (const entry of entries) this.entries.set(this.key(entry.tenant, entry.email), entry);
  }

  private key(tenant: string, email: string): string {
    return `${tenant}|${email}`;
  }

  async get(tenant: string, email: string): Promise<Suppression | undefined> {
    return this.entries.get(this.key(tenant, email));
  }

  async findMany(tenant: string, emails: string[]): Promise<Map<string, Suppression>> {
    const found = new Map<string, Suppression>();
    for (const email of emails) {
      const entry = this.entries.get(this.key(tenant, email));
      if (entry) found.set(email, entry);
    }
    return found;
  }

  async put(entry: Suppression): Promise<void> {
    this.entries.set(this.key(entry.tenant, entry.email), entry);
  }

  async delete(tenant: string, email: string): Promise<boolean> {
    return this.entries.delete(this.key(tenant, email));
  }

  /** Pages in address order; the cursor is the last address of the page before. */
  async list(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<Suppression>> {
    const all = [...this.entries.values()]
      .filter((e) => e.tenant === tenant && (options.cursor === undefined || e.email > options.cursor))
      .sort((a, b) => (a.email < b.email ? -1 : 1));
    const items = all.slice(0, options.limit);
    return all.length > items.length ? { items, cursor: items.at(-1)!.email } : { items };
  }
}
