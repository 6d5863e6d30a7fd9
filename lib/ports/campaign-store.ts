import type { CampaignRecord, ProgressCounts } from '../domain/campaign.ts';
import type { Page } from '../domain/suppression.ts';

/**
 * What taking a page of contacts for a fan-out run found:
 * - `first`: no run took this page before, so none of its messages can exist yet;
 * - `again`: a run took it before and did not finish it (it failed or died): some messages may exist;
 * - `busy`: another run holds it now;
 * - `moved`: the campaign is past that page, or no longer sending.
 */
export type PageClaim = 'first' | 'again' | 'busy' | 'moved';

/** A tenant's campaigns and the progress of their fan-out. */
export interface CampaignStore {
  /** Throws when a campaign with the id exists. */
  create(campaign: CampaignRecord): Promise<void>;
  get(tenant: string, id: string): Promise<CampaignRecord | undefined>;
  /** Newest first; `cursor` is opaque and comes from the previous page. */
  list(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<CampaignRecord>>;
  /**
   * Takes the page of contacts that starts at `cursor` (absent: the first page) for run
   * `owner` until `until` (epoch ms), while the campaign is `sending` at that cursor and no
   * other run holds the page with a lease that lasts past `now`.
   */
  claimPage(tenant: string, id: string, claim: { cursor?: string; owner: string; now: number; until: number }): Promise<PageClaim>;
  /** Gives up run `owner`'s hold on its page (after a failure), so that a retry may take it at once. */
  releasePage(tenant: string, id: string, owner: string): Promise<void>;
  /**
   * Records a handled page in one conditional write: adds `add` to the counts and moves the
   * cursor from `from` to `to`; without `to` (the last page) the campaign becomes `sent`.
   * Only while the campaign is `sending` at `from`, so a page handled twice counts once:
   * false when it is not (another run recorded the page). With `claimNext`, the same write
   * gives the page at `to` to that run, as claimPage would (the cursor was never there, so no
   * run took that page before: it is `first`).
   */
  advance(
    tenant: string,
    id: string,
    step: { from?: string; to?: string; add: ProgressCounts; at: string; claimNext?: { owner: string; until: number } },
  ): Promise<boolean>;
  /** Marks a `sending` campaign failed with the reason; false when it was not sending. */
  fail(tenant: string, id: string, error: string, at: string): Promise<boolean>;
}
