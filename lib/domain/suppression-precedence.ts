/**
 * Which of two suppression entries for the same address stands. Reports arrive at least once
 * and in any order, so the choice depends on the entries only, never on which came first:
 * a complaint outranks a hard bounce; an entry a person made (manual, unsubscribe) is never
 * replaced by one mailroom derives; between equals, the earlier one stands.
 */
import type { Suppression, SuppressionReason } from './suppression.ts';

const RANK: Record<SuppressionReason, number> = { hard_bounce: 1, complaint: 2, unsubscribe: 3, manual: 3 };

/** Whether `candidate` should replace `existing` (or be added, when there is none). */
export function supersedes(candidate: Suppression, existing: Suppression | undefined): boolean {
  if (!existing) return true;
  const [next, current] = [RANK[candidate.reason] ?? 0, RANK[existing.reason] ?? 0];
  if (current >= RANK.manual) return false;
  if (next !== current) return next > current;
  return candidate.reason === existing.reason && candidate.createdAt < existing.createdAt;
}
