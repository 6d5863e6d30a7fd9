/**
 * Bulk import of contacts into a list (`POST /v1/lists/{id}/contacts/import`), from JSON or CSV.
 * Every row is accounted for: written, reported as failed with its problems, or superseded by
 * a later row for the same address. Bad rows never stop good ones. An import is a set of
 * upserts by address, so running the same import again is safe (after a 503, for instance).
 * Here the import runs within the request; large ones run as jobs (contact-import-jobs.ts).
 */
import { MailroomError, ServiceUnavailableError } from '../domain/errors.ts';
import {
  IMPORT_STEP,
  importAnswer,
  importRows,
  importStep,
  planImport,
  stepCount,
  type AcceptedRow,
  type ImportAnswer,
  type ImportPlan,
  type ImportSource,
} from '../domain/import-plan.ts';
import type { Contact } from '../domain/mailing-list.ts';
import type { Log } from '../ports/logger.ts';
import type { ContactDeps } from './contacts.ts';
import { requireList } from './lists.ts';
import { mapOrdered } from './map-ordered.ts';

export interface ImportDeps extends ContactDeps {
  log: Log;
}

/** Steps in flight at once. */
export const STEPS_IN_FLIGHT = 2;

/**
 * Writes one step of contacts: each keeps its creation time, and its status when the row gives
 * none (new contacts are `subscribed`). Returns the addresses whose owner unsubscribed. Writing
 * the same step again writes the same contacts and returns the same addresses.
 */
export async function writeContacts(
  deps: ContactDeps,
  tenant: string,
  listId: string,
  step: AcceptedRow[],
  now: string,
): Promise<string[]> {
  const emails = step.map((entry) => entry.contact.email);
  const [existing, unsubscribes] = await Promise.all([
    deps.contacts.getMany(tenant, listId, emails),
    deps.unsubscribes.findMany(tenant, listId, emails),
  ]);
  const kept: string[] = [];
  const contacts = step.map(({ contact: input }): Contact => {
    const old = existing.get(input.email);
    const status = input.status ?? old?.status ?? 'subscribed';
    if (status === 'subscribed' && unsubscribes.has(input.email)) kept.push(input.email);
    return {
      tenant,
      listId,
      email: input.email,
      attributes: input.attributes ?? {},
      status,
      createdAt: old?.createdAt ?? now,
      updatedAt: now,
    };
  });
  await deps.contacts.putMany(contacts);
  return kept;
}

async function* steps(plan: ImportPlan): AsyncGenerator<AcceptedRow[]> {
  for (let i = 0; i < stepCount(plan, IMPORT_STEP); i++) yield importStep(plan, i, IMPORT_STEP);
}

/** Writes every contact of a plan into the tenant's list (which exists) and answers the result. */
export async function importPlanned(deps: ImportDeps, tenant: string, listId: string, plan: ImportPlan): Promise<ImportAnswer> {
  const now = deps.clock.now().toISOString();
  const unsubscribed: string[] = [];
  try {
    for await (const kept of mapOrdered(steps(plan), STEPS_IN_FLIGHT, (step) => writeContacts(deps, tenant, listId, step, now))) {
      unsubscribed.push(...kept);
    }
  } catch (error) {
    if (error instanceof MailroomError) throw error;
    deps.log.warn('contact import failed', {
      tenant,
      listId,
      rows: plan.failed.length + plan.duplicates.length + plan.accepted.length,
      error: (error as Error)?.name,
      message: (error as Error)?.message,
    });
    throw new ServiceUnavailableError(
      'mailroom could not store every contact; some may have been written. Running the same import again is safe (contacts are replaced by address).',
      { cause: error },
    );
  }
  return importAnswer(plan, unsubscribed);
}

/** Imports the rows of `source` into the tenant's list, within the call. */
export async function importContacts(deps: ImportDeps, tenant: string, rawListId: string, source: ImportSource): Promise<ImportAnswer> {
  const list = await requireList(deps.lists, tenant, rawListId);
  return importPlanned(deps, tenant, list.id, planImport(importRows(source)));
}
