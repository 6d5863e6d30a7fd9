import type { Page, Suppression } from '../domain/suppression.ts';

/** A tenant's suppression list. Addresses are given normalised. */
export interface SuppressionStore {
  get(tenant: string, email: string): Promise<Suppression | undefined>;
  /** The suppressed ones among `emails`, keyed by address. */
  findMany(tenant: string, emails: string[]): Promise<Map<string, Suppression>>;
  /** Adds or replaces an entry. */
  put(entry: Suppression): Promise<void>;
  /** Removes an entry; false when there was none. */
  delete(tenant: string, email: string): Promise<boolean>;
  /** Entries in address order; `cursor` is opaque and comes from the previous page. */
  list(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<Suppression>>;
}
