/**
 * How the API's request schemas (zod) report what is wrong: one field problem per issue, its
 * field named by path (`to[1]`, `metadata.plan`), its message saying what the value must be
 * ("is required", "at most 50 recipients", "must be a string, not a number"). A message the
 * schema gives itself wins; every other issue gets one of the messages below instead of
 * zod's generic "Invalid input".
 */
import * as z from 'zod';
import type { FieldProblem } from './errors.ts';

/** A field's path as the API names it: `to[1]`, `headers.X-Campaign`, `contacts[3].email`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    return out ? `${out}.${String(part)}` : String(part);
  }, '');
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  bigint: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  record: 'an object',
  map: 'an object',
  null: 'null',
  date: 'a date',
};

/** What a JSON value is, in words: "a number", "null", "an array". */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'boolean') return 'true or false';
  return TYPE_WORDS[typeof value] ?? typeof value;
}

const plural = (count: number | bigint, one: string, many = `${one}s`) => `${count} ${Number(count) === 1 ? one : many}`;

/** The words for "what the value must be" of a failed type check. */
function expectedWords(expected: string): string {
  return TYPE_WORDS[expected] ?? expected;
}

/** A union that refused the value in every form: by type, "must be a string or an array, not a number". */
function unionMessage(branches: readonly (readonly z.core.$ZodIssue[])[], input: unknown): string {
  if (branches.length === 0) return 'is not one of the accepted forms';
  const expected: string[] = [];
  for (const branch of branches) {
    const type = branch.find((i): i is z.core.$ZodIssueInvalidType => i.path.length === 0 && i.code === 'invalid_type');
    if (!type) return 'is not one of the accepted forms';
    expected.push(expectedWords(type.expected));
  }
  const unique = [...new Set(expected)];
  const words = unique.length > 1 ? `${unique.slice(0, -1).join(', ')} or ${unique.at(-1)}` : unique[0];
  return `must be ${words}, not ${kindOf(input)}`;
}

/**
 * The message of an issue whose schema says nothing of its own, or undefined to keep zod's.
 * Given to `safeParse` as its error map (see {@link parseRequest}).
 */
export function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${expectedWords(issue.expected)}, not ${kindOf(issue.input)}`;
    case 'too_big': {
      const max = issue.maximum;
      if (issue.origin === 'string') return `at most ${plural(max, 'character')}`;
      if (issue.origin === 'array' || issue.origin === 'set') return `at most ${plural(max, 'item')}`;
      if (issue.origin === 'file') return `at most ${plural(max, 'byte')}`;
      return issue.inclusive ? `must be at most ${max}` : `must be less than ${max}`;
    }
    case 'too_small': {
      const min = issue.minimum;
      if (issue.origin === 'string') return Number(min) === 1 ? 'must not be empty' : `at least ${plural(min, 'character')}`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return Number(min) === 1 ? 'must not be empty' : `at least ${plural(min, 'item')}`;
      if (issue.origin === 'file') return `at least ${plural(min, 'byte')}`;
      return issue.inclusive ? `must be at least ${min}` : `must be greater than ${min}`;
    }
    case 'invalid_format':
      if (issue.format === 'starts_with' && 'prefix' in issue) return `must start with "${String(issue.prefix)}"`;
      if (issue.format === 'ends_with' && 'suffix' in issue) return `must end with "${String(issue.suffix)}"`;
      if (issue.format === 'regex') return 'is not in the expected format';
      return `is not a valid ${issue.format}`;
    case 'invalid_value':
      if (issue.input === undefined) return 'is required';
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `unknown field(s): ${issue.keys.join(', ')}`;
    case 'invalid_union':
      if (issue.input === undefined) return 'is required';
      // A discriminated union whose discriminator matched none of its options.
      if (Array.isArray(issue.options) && issue.options.length) {
        return `must be one of ${issue.options.map((v: unknown) => JSON.stringify(v)).join(', ')}`;
      }
      return unionMessage(issue.errors, issue.input);
    case 'invalid_key':
      return 'is not a valid name';
    case 'invalid_element':
      return 'holds an invalid value';
    default:
      return undefined;
  }
}

/** `schema.safeParse(value)` with {@link issueMessage} for the issues the schema gives no message of its own. */
export function parseRequest<T extends z.ZodType>(schema: T, value: unknown): z.ZodSafeParseResult<z.output<T>> {
  return schema.safeParse(value, { error: issueMessage });
}

/**
 * The issues of the one form of a union the value was meant as: the only branch of the value's
 * type, or among objects the only one whose literal fields (`"type": "smtp"`) it matched.
 */
function matchedBranch(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue[] | undefined {
  const typed = issue.errors.filter((branch) => !branch.some((i) => i.path.length === 0 && i.code === 'invalid_type'));
  if (typed.length === 1) return typed[0];
  const matching = typed.filter((branch) => !branch.some((i) => i.path.length === 1 && i.code === 'invalid_value'));
  return matching.length === 1 ? matching[0] : undefined;
}

function flatten(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): FieldProblem[] {
  const path = [...prefix, ...issue.path];
  const field = fieldPath(path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return [{ field: field || issue.keys.join(', '), message: `unknown field(s): ${issue.keys.join(', ')}` }];
    case 'invalid_union': {
      const branch = matchedBranch(issue);
      if (branch) return branch.flatMap((inner) => flatten(inner, path));
      break;
    }
    case 'invalid_key':
    case 'invalid_element':
      // The name (or element) itself is wrong: say how, at its own path.
      if (issue.issues.length) return issue.issues.flatMap((inner) => flatten(inner, path));
      break;
    case 'invalid_type':
      if (path.length === 0 && issue.expected === 'object') return [{ field: '(body)', message: 'must be a JSON object' }];
      break;
  }
  return [{ field: field || '(body)', message: issue.message }];
}

/** Each issue as a field problem: unions reported in the form the value has, record keys by name. */
export function zodProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => flatten(issue, []));
}
