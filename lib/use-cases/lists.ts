/** A tenant's mailing lists through the API, and the clean-up of a deleted list's contacts. */
import { ServiceUnavailableError, ValidationError } from '../domain/errors.ts';
import { ListNotFoundError, parseListInput } from '../domain/list-requests.ts';
import type { MailingList } from '../domain/mailing-list.ts';
import type { CampaignQueue } from '../ports/campaign-queue.ts';
import type { Clock } from '../ports/clock.ts';
import type { ContactStore, ListStore } from '../ports/list-store.ts';

export interface ListDeps {
  lists: ListStore;
  clock: Clock;
  newId: () => string;
}

export interface DeleteListDeps {
  lists: ListStore;
  campaignQueue: CampaignQueue;
}

export interface PurgeListDeps {
  lists: ListStore;
  contacts: ContactStore;
}

/** List ids are ULIDs; anything else cannot name a list. */
const LIST_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * Seconds the clean-up job waits on the queue. The job is queued before the list record is
 * deleted (so that no deleted list is left without one); the wait lets the deletion land first.
 */
export const PURGE_DELAY_SECONDS = 5;

/** Contacts removed per page by the clean-up. */
export const PURGE_PAGE_SIZE = 1000;

/** Page sizes of listings (`limit`): the largest, and the size when none is asked for. */
export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 100;

/** A page size from the query: 1..MAX_PAGE, DEFAULT_PAGE by default. Throws ValidationError (field `limit`). */
export function pageLimit(raw: string | undefined): number {
  const limit = raw === undefined ? DEFAULT_PAGE : Number(raw);
  if (raw === '' || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new ValidationError('The query is invalid.', [{ field: 'limit', message: `must be a whole number from 1 to ${MAX_PAGE}` }]);
  }
  return limit;
}

/** The tenant's list named by a path parameter. Throws ListNotFoundError. */
export async function requireList(lists: ListStore, tenant: string, rawId: string): Promise<MailingList> {
  const list = LIST_ID.test(rawId) ? await lists.get(tenant, rawId) : undefined;
  if (!list) throw new ListNotFoundError();
  return list;
}

/** A list as the API shows it. There is no contact count: counting a list means reading all of it. */
export function listView(list: MailingList) {
  return {
    id: list.id,
    name: list.name,
    ...(list.description !== undefined && { description: list.description }),
    created_at: list.createdAt,
    updated_at: list.updatedAt,
  };
}

export async function createList(deps: ListDeps, tenant: string, body: unknown) {
  const input = parseListInput(body);
  const now = deps.clock.now().toISOString();
  const list: MailingList = { id: deps.newId(), tenant, ...input, createdAt: now, updatedAt: now };
  await deps.lists.create(list);
  return listView(list);
}

export async function listLists(deps: ListDeps, tenant: string, query: { limit?: string; cursor?: string }) {
  const page = await deps.lists.list(tenant, { limit: pageLimit(query.limit), ...(query.cursor && { cursor: query.cursor }) });
  return { data: page.items.map(listView), next_cursor: page.cursor ?? null };
}

export async function getList(deps: ListDeps, tenant: string, rawId: string) {
  return listView(await requireList(deps.lists, tenant, rawId));
}

/**
 * Deletes a list: its record goes at once (the list and its contacts are then not found), and
 * a `purge-list` job on the campaign queue removes the contacts. The job is queued first: if
 * the queue refuses it, nothing is deleted (503, retry); if the deletion then fails, the job
 * finds the list still there and does nothing.
 */
export async function deleteList(deps: DeleteListDeps, tenant: string, rawId: string): Promise<void> {
  const list = await requireList(deps.lists, tenant, rawId);
  try {
    await deps.campaignQueue.enqueue({ v: 1, kind: 'purge-list', tenant, listId: list.id }, PURGE_DELAY_SECONDS);
  } catch (error) {
    throw new ServiceUnavailableError('mailroom could not schedule the removal of the list; nothing was deleted. Retry later.', {
      cause: error,
    });
  }
  if (!(await deps.lists.delete(tenant, list.id))) throw new ListNotFoundError();
}

/**
 * Removes the contacts of a deleted list, a page at a time, until none is left ('done') or
 * `shouldStop()` says the time is up after a page ('more': run it again). Safe to run again or
 * twice at once. A list that still exists keeps its contacts: the job is then 'done' at once.
 */
export async function purgeListContacts(
  deps: PurgeListDeps,
  tenant: string,
  listId: string,
  shouldStop: () => boolean,
): Promise<'done' | 'more'> {
  if (await deps.lists.get(tenant, listId)) return 'done';
  for (;;) {
    // Always the first page: what was read is deleted, so the next read starts past it.
    const page = await deps.contacts.page(tenant, listId, { limit: PURGE_PAGE_SIZE });
    if (page.items.length)
      await deps.contacts.deleteMany(
        tenant,
        listId,
        page.items.map((contact) => contact.email),
      );
    if (!page.cursor) return 'done';
    if (shouldStop()) return 'more';
  }
}
