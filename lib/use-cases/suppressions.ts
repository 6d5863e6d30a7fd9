/** A tenant's suppression list through the API. */
import { pathAddress } from '../domain/address.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { parseRequest, zodProblems } from '../domain/field-problems.ts';
import { SUPPRESSION_INPUT, type Suppression } from '../domain/suppression.ts';
import type { Clock } from '../ports/clock.ts';
import type { SuppressionStore } from '../ports/suppression-store.ts';
import { pageLimit } from './lists.ts';

export interface SuppressionDeps {
  suppressions: SuppressionStore;
  clock: Clock;
}

function view(s: Suppression) {
  return {
    email: s.email,
    reason: s.reason,
    created_at: s.createdAt,
    ...(s.sourceMessageId && { source_message_id: s.sourceMessageId }),
    ...(s.detail && { detail: s.detail }),
  };
}

export async function listSuppressions(deps: SuppressionDeps, tenant: string, query: { limit?: string; cursor?: string }) {
  const limit = pageLimit(query.limit);
  const page = await deps.suppressions.list(tenant, { limit, ...(query.cursor && { cursor: query.cursor }) });
  return { data: page.items.map(view), next_cursor: page.cursor ?? null };
}

export async function getSuppression(deps: SuppressionDeps, tenant: string, rawEmail: string) {
  const entry = await deps.suppressions.get(tenant, pathAddress(rawEmail));
  if (!entry) throw new NotFoundError('Suppression');
  return view(entry);
}

export async function putSuppression(deps: SuppressionDeps, tenant: string, rawEmail: string, body: unknown) {
  const email = pathAddress(rawEmail);
  const parsed = parseRequest(SUPPRESSION_INPUT, body ?? {});
  if (!parsed.success) throw new ValidationError('The suppression is invalid.', zodProblems(parsed.error));
  const { reason, detail } = parsed.data;
  const entry: Suppression = {
    tenant,
    email,
    reason: reason ?? 'manual',
    createdAt: deps.clock.now().toISOString(),
    ...(detail !== undefined && { detail }),
  };
  await deps.suppressions.put(entry);
  return view(entry);
}

export async function deleteSuppression(deps: SuppressionDeps, tenant: string, rawEmail: string): Promise<void> {
  if (!(await deps.suppressions.delete(tenant, pathAddress(rawEmail)))) throw new NotFoundError('Suppression');
}
