/**
 * Names a caller may not give to the keys it chooses (metadata, tags, contact attributes, CSV
 * columns): `__proto__`, `constructor` and `prototype`. JavaScript objects give them a meaning
 * of their own, so a map holding one does not stay a plain map on its way through mailroom and
 * the code of its subscribers: an own `__proto__` is dropped or becomes the object's prototype
 * when copied, and an own `constructor` makes the DynamoDB marshaller take the map for an
 * instance of some class and refuse it. They are refused up front, with a 400 naming the field.
 */

/** The names refused as keys. */
export const RESERVED_NAMES: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** What a refused name is told. */
export const RESERVED_NAME_MESSAGE = `is a reserved name: ${RESERVED_NAMES.join(', ')} cannot be used as names`;

/** Whether `name` is one of the RESERVED_NAMES. */
export function isReservedName(name: string): boolean {
  return RESERVED_NAMES.includes(name);
}
