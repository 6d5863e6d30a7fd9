/**
 * Opaque page cursors: base64url JSON of a Query's LastEvaluatedKey. A cursor comes back from
 * callers, so it is checked strictly before it reaches DynamoDB as an ExclusiveStartKey.
 */
import { ValidationError } from '../../domain/errors.ts';
import { fromItem, toItem, type Item } from './marshalling.ts';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const MAX_CURSOR_LENGTH = 4096;

/** Most items a listing returns per page. */
export const MAX_PAGE_SIZE = 1000;

/** The cursor for the page after `lastKey`, or undefined on the last page. */
export function encodeCursor(lastKey: Item | undefined): string | undefined {
  if (!lastKey) return undefined;
  return Buffer.from(JSON.stringify(fromItem(lastKey)), 'utf8').toString('base64url');
}

function invalid(): ValidationError {
  return new ValidationError('The cursor is invalid.', [{ field: 'cursor', message: 'must be a cursor returned by the previous page' }]);
}

/**
 * Decodes a cursor into an ExclusiveStartKey. It must hold exactly the string attributes
 * `names`, and those in `fixed` must have the given values (the partition being listed), so a
 * cursor from another tenant or listing is refused. Throws ValidationError (field `cursor`).
 */
export function decodeCursor(cursor: string, names: readonly string[], fixed: Record<string, string>): Item {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  const key = parsed as Record<string, unknown>;
  const keys = Object.keys(key);
  if (keys.length !== names.length || !names.every((name) => typeof key[name] === 'string' && key[name] !== '')) throw invalid();
  for (const [name, value] of Object.entries(fixed)) if (key[name] !== value) throw invalid();
  return toItem(key);
}

/** Checks a page size. Throws ValidationError (field `limit`) unless it is a whole number 1..1000. */
export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationError('The limit is invalid.', [{ field: 'limit', message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` }]);
  }
}
