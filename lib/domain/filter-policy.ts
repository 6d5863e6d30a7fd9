/**
 * SNS subscription filter policies on message attributes, for subscribers that are not SNS's
 * (local mode's HTTP subscribers). The same policy JSON works against the real topic.
 * Supported: exact strings, `prefix`, `suffix`, `equals-ignore-case`, `anything-but` (a
 * string, a list, or a `prefix`), and `exists`. Keys are ANDed, the values of a key ORed,
 * and a `String.Array` attribute matches when any element does — as SNS does.
 */
import * as z from 'zod';

const CONDITION = z.union([
  z.string(),
  z.strictObject({ prefix: z.string() }),
  z.strictObject({ suffix: z.string() }),
  z.strictObject({ 'equals-ignore-case': z.string() }),
  z.strictObject({ exists: z.boolean() }),
  z.strictObject({ 'anything-but': z.union([z.string(), z.array(z.string()), z.strictObject({ prefix: z.string() })]) }),
]);
type Condition = z.infer<typeof CONDITION>;

export const FILTER_POLICY = z.record(z.string(), z.array(CONDITION).min(1));
export type FilterPolicy = z.infer<typeof FILTER_POLICY>;

/** Attribute values as strings; arrays for `String.Array` attributes. */
export type AttributeValues = Record<string, string | string[] | undefined>;

function matchesOne(condition: Condition, value: string): boolean {
  if (typeof condition === 'string') return condition === value;
  if ('prefix' in condition) return value.startsWith(condition.prefix);
  if ('suffix' in condition) return value.endsWith(condition.suffix);
  if ('equals-ignore-case' in condition) return condition['equals-ignore-case'].toLowerCase() === value.toLowerCase();
  if ('anything-but' in condition) {
    const but = condition['anything-but'];
    if (typeof but === 'string') return value !== but;
    if (Array.isArray(but)) return !but.includes(value);
    return !value.startsWith(but.prefix);
  }
  return true; // exists: decided by the caller
}

/** Whether a message with these attributes passes the policy. */
export function matchesFilterPolicy(policy: FilterPolicy, attributes: AttributeValues): boolean {
  return Object.entries(policy).every(([name, conditions]) => {
    const raw = attributes[name];
    const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    return conditions.some((condition) => {
      if (typeof condition === 'object' && 'exists' in condition) return condition.exists === values.length > 0;
      return values.some((value) => matchesOne(condition, value));
    });
  });
}
