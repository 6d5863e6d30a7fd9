/** A tenant's suppression list through the API. */
import { pathAddress } from '../domain/address.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { SUPPRESSION_REASONS, type Suppression, type SuppressionReason } from '../domain/suppression.ts';
import type { Clock } from '../ports/clock.ts';
import type { SuppressionStore } from '../ports/suppression-store.ts';

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
  const limit = query.limit === undefined ? 100 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new ValidationError('The query is invalid.', [{ field: 'limit', message: 'must be a whole number from 1 to 1000' }]);
  }
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
  const input = (body ?? {}) as Record<string, unknown>;
  const problems = [];
  if (typeof input !== 'object' || Array.isArray(input)) problems.push({ field: '(body)', message: 'must be a JSON object' });
  const unknown = Object.keys(input).filter((k) => k !== 'reason' && k !== 'detail');
  if (unknown.length) problems.push({ field: unknown.join(', '), message: `unknown field(s): ${unknown.join(', ')}` });
  const reason = input.reason ?? 'manual';
  if (typeof reason !== 'string' || !(SUPPRESSION_REASONS as readonly string[]).includes(reason)) {
    problems.push({ field: 'reason', message: `must be one of ${SUPPRESSION_REASONS.join(', ')}` });
  }
  const detail = input.detail;
  if (detail !== undefined && (typeof detail !== 'string' || detail.length > 1000)) {
    problems.push({ field: 'detail', message: 'must be a string of at most 1000 characters' });
  }
  if (problems.length) throw new ValidationError('The suppression is invalid.', problems);
  const entry: Suppression = {
    tenant,
    email,
    reason: reason as SuppressionReason,
    createdAt: deps.clock.now().toISOString(),
    ...(typeof detail === 'string' && { detail }),
  };
  await deps.suppressions.put(entry);
  return view(entry);
}

export async function deleteSuppression(deps: SuppressionDeps, tenant: string, rawEmail: string): Promise<void> {
  if (!(await deps.suppressions.delete(tenant, pathAddress(rawEmail)))) throw new NotFoundError('Suppression');
}
