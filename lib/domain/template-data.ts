/**
 * The data a stored template is rendered with (`template.data` of a send, `data` of a render
 * preview). The rules are those of contact attributes, widened where a single message needs
 * more than a list's contact does:
 *
 * - names are template variables, as attribute names are: letters, digits and `_`, not
 *   starting with a digit, at most 64 characters; `__proto__`, `constructor` and `prototype`
 *   are refused at every level;
 * - values are strings, numbers, `true`, `false`, `null`, or objects of the same, so that
 *   `{{order.id}}` works (at most MAX_DATA_DEPTH levels of names);
 * - strings may hold line breaks (an address in the text part): a rendered subject has its
 *   control characters replaced by spaces, and html values are escaped. They must be valid
 *   Unicode, as every text mailroom sends;
 * - arrays are refused: the dialect has no `each`, so a list could only be printed by index;
 * - at most MAX_DATA_NAMES names per object and MAX_DATA_BYTES as JSON, as for attributes.
 */
import type { FieldProblem } from './errors.ts';
import { isAttributeName, MAX_ATTRIBUTES, MAX_ATTRIBUTES_BYTES } from './list-requests.ts';
import { isReservedName, RESERVED_NAME_MESSAGE } from './reserved-names.ts';

/** A value of template data. */
export type TemplateValue = string | number | boolean | null | TemplateData;

/** Template data: names to values, objects nested for `{{order.id}}`. */
export interface TemplateData {
  [name: string]: TemplateValue;
}

/** Most levels of names: `{{a.b.c.d}}`. */
export const MAX_DATA_DEPTH = 4;
/** Most names in one object, as on a contact. */
export const MAX_DATA_NAMES = MAX_ATTRIBUTES;
/** Most bytes of the data as JSON, as for a contact's attributes. */
export const MAX_DATA_BYTES = MAX_ATTRIBUTES_BYTES;

// JSON can escape an unpaired surrogate ("\ud800"), which no byte encoding holds (as in send-request.ts).
const UNPAIRED_SURROGATE = /\p{Cs}/u;
const NAME_RULE = 'names use letters, digits and _, start with a letter or _, at most 64 characters';
const VALUE_RULE = 'must be a string, a number, true, false, null or an object';

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Every problem of `data` as given in the body (not a parsed copy: an own `__proto__` is one of
 * its keys here), each named by its path under `field` (`template.data.order.id`).
 */
export function templateDataProblems(data: unknown, field: string): FieldProblem[] {
  if (!isObject(data)) return [{ field, message: 'must be an object of names to values' }];
  const problems: FieldProblem[] = [];
  const visit = (object: Record<string, unknown>, path: string, depth: number): void => {
    const names = Object.keys(object);
    if (names.length > MAX_DATA_NAMES) problems.push({ field: path, message: `at most ${MAX_DATA_NAMES} names` });
    for (const name of names) {
      const where = `${path}.${name}`;
      const value = object[name];
      if (isReservedName(name)) problems.push({ field: where, message: RESERVED_NAME_MESSAGE });
      else if (!isAttributeName(name)) problems.push({ field: where, message: NAME_RULE });
      else if (Array.isArray(value)) {
        problems.push({ field: where, message: `${VALUE_RULE}: arrays are not supported, as templates have no "each" helper` });
      } else if (isObject(value)) {
        if (depth >= MAX_DATA_DEPTH) problems.push({ field: where, message: `at most ${MAX_DATA_DEPTH} levels of names` });
        else visit(value, where, depth + 1);
      } else if (typeof value === 'string') {
        if (UNPAIRED_SURROGATE.test(value))
          problems.push({ field: where, message: 'must be valid Unicode text: it holds an unpaired surrogate' });
      } else if (!(value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))) {
        problems.push({ field: where, message: VALUE_RULE });
      }
    }
  };
  visit(data, field, 1);
  if (problems.length === 0 && Buffer.byteLength(JSON.stringify(data), 'utf8') > MAX_DATA_BYTES) {
    problems.push({ field, message: `at most ${MAX_DATA_BYTES} bytes together (as JSON)` });
  }
  return problems;
}
