/** Conversions between plain objects and DynamoDB items, used the same way by every adapter. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/** A DynamoDB item (or key, or expression values) in wire form. */
export type Item = Record<string, AttributeValue>;

/** Marshals a plain object; optional fields left undefined are dropped rather than rejected. */
export function toItem(value: Record<string, unknown>): Item {
  return marshall(value, { removeUndefinedValues: true });
}

/** Unmarshals an item into a plain object (numbers as JS numbers). */
export function fromItem(item: Item): Record<string, unknown> {
  return unmarshall(item);
}

/** A copy of `record` without the storage-only attributes `names` (keys, TTL, ordering). */
export function withoutAttributes(record: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const copy = { ...record };
  for (const name of names) delete copy[name];
  return copy;
}

/** Epoch seconds (DynamoDB TTL unit) `days` after an ISO time or epoch-ms instant. */
export function expiryAfter(start: string | number, days: number): number {
  const ms = typeof start === 'number' ? start : Date.parse(start);
  return Math.floor(ms / 1000) + days * 86_400;
}
