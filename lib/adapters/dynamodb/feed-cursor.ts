/**
 * The activity feed's opaque cursor: base64url JSON of a digest of the listing (tenant, source,
 * filters) and each shard's position (0: not read yet, 1: read to its end, or the key of the
 * last entry taken, as a list of strings). A cursor comes back from callers, so it is checked
 * strictly: it must belong to the same listing, and every key to its shard's partition and
 * range, before it reaches DynamoDB as an ExclusiveStartKey.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../../domain/errors.ts';
import type { FeedFilter } from '../../domain/feed.ts';
import { belongsTo, type FeedSource } from './feed-sources.ts';
import type { ShardPosition, StartKey } from './shard-merge.ts';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const MAX_CURSOR_LENGTH = 8192;
/** Every key attribute mailroom writes is printable ASCII (ids, times, tenants, digests), far below DynamoDB's key sizes. */
const KEY_VALUE = /^[\x21-\x7e]{1,512}$/;

function invalid(): ValidationError {
  return new ValidationError('The cursor is invalid.', [
    { field: 'cursor', message: 'must be a cursor returned by the previous page of the same listing' },
  ]);
}

/** What a cursor is bound to: the tenant, the key serving the listing, its shards and every filter. */
export function listingDigest(tenant: string, source: FeedSource, filter: FeedFilter): string {
  const { status, recipient, tag, campaign, template, after, before } = filter;
  const listing = [
    tenant,
    source.name,
    source.partitions.length,
    status,
    recipient,
    tag?.name,
    tag?.value,
    campaign,
    template,
    after,
    before,
  ];
  return createHash('sha256').update(JSON.stringify(listing)).digest('base64url').slice(0, 16);
}

/** The cursor of the page after one that left the shards at `positions`. */
export function encodeFeedCursor(digest: string, source: FeedSource, positions: readonly ShardPosition[]): string {
  const shards = positions.map((position) =>
    position.kind === 'start' ? 0 : position.kind === 'done' ? 1 : source.keyNames.map((name) => position.key[name] ?? ''),
  );
  return Buffer.from(JSON.stringify({ q: digest, s: shards }), 'utf8').toString('base64url');
}

/** The shard positions of a cursor of this listing. Throws ValidationError (field `cursor`) for anything else. */
export function decodeFeedCursor(cursor: string, digest: string, source: FeedSource): ShardPosition[] {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const { q, s } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { q?: unknown; s?: unknown };
  if (q !== digest || !Array.isArray(s) || s.length !== source.partitions.length) throw invalid();
  return s.map((shard: unknown, index): ShardPosition => {
    if (shard === 0) return { kind: 'start' };
    if (shard === 1) return { kind: 'done' };
    const values = Array.isArray(shard) ? (shard as unknown[]) : [];
    if (values.length !== source.keyNames.length || !values.every((v) => typeof v === 'string' && KEY_VALUE.test(v))) {
      throw invalid();
    }
    const key: StartKey = Object.fromEntries(source.keyNames.map((name, i) => [name, values[i] as string]));
    if (!belongsTo(source, index, key)) throw invalid();
    return { kind: 'after', key };
  });
}
