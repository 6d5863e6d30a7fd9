/** Parts of route descriptions that several routes share: pages, day ranges, common error texts. */
import * as z from 'zod';
import { DAY } from '../../http/documents/common.ts';
import type { QueryDoc } from '../../http/route-doc.ts';
import { DEFAULT_PAGE, MAX_PAGE } from '../../use-cases/lists.ts';

/** `limit` and `cursor`, of every listing. */
export const PAGE_QUERY: Record<'limit' | 'cursor', QueryDoc> = {
  limit: { schema: z.int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE), description: 'items per page' },
  cursor: { schema: z.string(), description: 'the previous page’s `next_cursor`' },
};

/** `from` and `to` of a range of days; `required` for reports, optional (with defaults) for figures. */
export function dayRange(required: boolean, defaults = ''): Record<'from' | 'to', QueryDoc> {
  return {
    from: { schema: DAY, required, description: `first day (UTC), included${defaults}` },
    to: { schema: DAY, required, description: 'last day (UTC), included; at most 366 days after `from`' },
  };
}

/** 403 of a send that a paused tenant makes. */
export const SENDING_PAUSED =
  "`forbidden`: the key lacks the route's scope; `sending_paused`: the tenant's sending is paused (`details.reason`, `details.paused_at`); nothing was stored.";

/** 409 of a route that honours Idempotency-Key. */
export const IDEMPOTENCY_CONFLICT =
  '`idempotency_key_reused`: the key came with another body; `idempotency_request_in_progress`: the first request with it is still running.';

/** 403 of an operator's route. */
export const OPERATOR_ONLY = "`forbidden`: the key lacks the `admin` scope, or is a tenant's admin key on an operator's route.";
