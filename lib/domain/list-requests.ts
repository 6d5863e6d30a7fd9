/**
 * Validation of the list and contact API: a list to create, a contact to add or change, and
 * the rows of an import (JSON or CSV). Every problem names its field; attribute values never
 * hold CR, LF or NUL, because they end up in subjects and headers through personalisation.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import * as z from 'zod';
import { hasControlCharacter, HEADER_UNSAFE_MESSAGE, isHeaderSafe, normalizeAddress } from './address.ts';
import { MailroomError, ValidationError, type FieldProblem } from './errors.ts';
import { parseRequest, zodProblems } from './field-problems.ts';
import { isReservedName, RESERVED_NAME_MESSAGE } from './reserved-names.ts';
import { CONTACT_STATUSES, type AttributeValue, type ContactStatus } from './mailing-list.ts';

/** Longest list name, in characters. */
export const MAX_LIST_NAME = 200;
/** Longest list description, in characters. */
export const MAX_LIST_DESCRIPTION = 1000;
/** Most attributes on one contact. */
export const MAX_ATTRIBUTES = 50;
/** Longest string attribute value, in characters. */
export const MAX_ATTRIBUTE_LENGTH = 2048;
/** Most bytes of a contact's attributes together (as JSON), well below DynamoDB's 400 KB item limit. */
export const MAX_ATTRIBUTES_BYTES = 128 * 1024;
/** Most rows in one import. */
export const MAX_IMPORT_ROWS = 50_000;
/** Attribute names: usable as template variables. */
export const ATTRIBUTE_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Whether `name` may name an attribute (not one of the reserved names: it would not stay a plain key). */
export function isAttributeName(name: string): boolean {
  return ATTRIBUTE_KEY.test(name) && !isReservedName(name);
}

/** 404: no such list for this tenant (another tenant's list is also "not found"). */
export class ListNotFoundError extends MailroomError {
  constructor() {
    super(404, 'list_not_found', 'List not found.');
  }
}

/** 404: no such contact on the list. */
export class ContactNotFoundError extends MailroomError {
  constructor() {
    super(404, 'contact_not_found', 'Contact not found.');
  }
}

/** 409: the API tried to subscribe an address whose owner unsubscribed. */
export class ContactUnsubscribedError extends MailroomError {
  constructor() {
    super(409, 'contact_unsubscribed', 'This person unsubscribed; only the person can re-subscribe, through the link in a message.');
  }
}

/** A list to create. */
export interface ListInput {
  name: string;
  description?: string;
}

/** A contact as given to POST or in an import row: address normalised. */
export interface ContactInput {
  email: string;
  attributes?: Record<string, AttributeValue>;
  status?: ContactStatus;
}

/** A change to a contact: attributes are merged; a `null` value removes that attribute. */
export interface ContactPatch {
  attributes?: Record<string, AttributeValue>;
  status?: ContactStatus;
}

/** One row of an import before validation: its position, and its value or what makes it unreadable. */
export interface ImportRow {
  /** 1 for the first contact: `contacts[0]` in JSON, the first row after the header in CSV. */
  row: number;
  /** CSV only: the line of the file the row starts on (the header is line 1). */
  line?: number;
  value?: unknown;
  problems?: FieldProblem[];
  /** The address as written in a row that could not be read (CSV), to help find it. */
  email?: string;
}

/** The outcome of checking one contact. */
export type ContactCheck = { ok: true; contact: ContactInput } | { ok: false; email?: string; problems: FieldProblem[] };

const noControl = (allowed: RegExp) => (v: string) => !hasControlCharacter(v.replace(allowed, ' '));
// Names and attribute values can reach a subject or a display name: header rules apply.
const headerSafe = (v: string) => isHeaderSafe(v, true);
const status = z.enum(CONTACT_STATUSES, { error: `must be one of ${CONTACT_STATUSES.join(', ')}` });
const anyAttributes = z.record(z.string(), z.unknown(), { error: 'must be an object of attribute names to values' });

/** An import as JSON, `{"contacts": [...]}`, each row checked on its own (checkContact): one bad row does not refuse the others. */
export const CONTACT_IMPORT = z.strictObject({
  contacts: z.array(z.unknown(), { error: (issue) => (issue.input === undefined ? 'is required' : 'must be an array of contacts') }),
});

/** A list to create. */
export const LIST_INPUT = z.strictObject({
  name: z
    .string()
    .max(MAX_LIST_NAME, `at most ${MAX_LIST_NAME} characters`)
    .refine(headerSafe, HEADER_UNSAFE_MESSAGE)
    .refine((v) => v.trim().length > 0, 'must not be empty'),
  description: z
    .string()
    .max(MAX_LIST_DESCRIPTION, `at most ${MAX_LIST_DESCRIPTION} characters`)
    .refine(noControl(/[\t\r\n]/g), 'must not contain control characters other than tabs and line breaks')
    .optional(),
});

/** A contact to add, or a row of an import. */
export const CONTACT_INPUT = z.strictObject({
  email: z.string(),
  attributes: anyAttributes.optional(),
  status: status.optional(),
});

/** An import as the API describes it: rows are contacts, at least one and at most MAX_IMPORT_ROWS. */
export const CONTACT_IMPORT_DOCUMENT = z.strictObject({ contacts: z.array(CONTACT_INPUT).min(1).max(MAX_IMPORT_ROWS) });

/** A change to a contact. */
export const CONTACT_PATCH = z.strictObject({
  // Allowed so that a client may send the contact back as it read it; it cannot change.
  email: z.string().optional(),
  attributes: anyAttributes.optional(),
  status: status.optional(),
});

// Numbers DynamoDB can keep (as for message metadata in send-request.ts): the marshaller
// refuses integers beyond Number.MAX_SAFE_INTEGER, DynamoDB magnitudes below 1e-130.
function storable(n: number): boolean {
  return Number.isFinite(n) && (n === 0 || (Math.abs(n) >= 1e-130 && Math.abs(n) <= Number.MAX_SAFE_INTEGER));
}

function valueProblem(value: unknown, allowNull: boolean): string | undefined {
  if (value === null) return allowNull ? undefined : 'must not be null';
  if (typeof value === 'boolean') return undefined;
  if (typeof value === 'number') {
    return storable(value) ? undefined : `must be 0 or between 1e-130 and ${Number.MAX_SAFE_INTEGER} in magnitude`;
  }
  if (typeof value === 'string') {
    if (value.length > MAX_ATTRIBUTE_LENGTH) return `at most ${MAX_ATTRIBUTE_LENGTH} characters`;
    return headerSafe(value) ? undefined : HEADER_UNSAFE_MESSAGE;
  }
  return 'must be a string, a number, true, false or null';
}

/** Problems of an attribute map: names, values, count and size. */
export function attributeProblems(attributes: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const keys = Object.keys(attributes);
  if (keys.length > MAX_ATTRIBUTES) problems.push({ field: 'attributes', message: `at most ${MAX_ATTRIBUTES} attributes` });
  for (const key of keys) {
    if (isReservedName(key)) {
      problems.push({ field: `attributes.${key}`, message: RESERVED_NAME_MESSAGE });
      continue;
    }
    if (!isAttributeName(key)) {
      problems.push({
        field: `attributes.${key}`,
        message: 'names use letters, digits and _, start with a letter or _, at most 64 characters',
      });
      continue;
    }
    const problem = valueProblem(attributes[key], true);
    if (problem) problems.push({ field: `attributes.${key}`, message: problem });
  }
  if (problems.length === 0 && Buffer.byteLength(JSON.stringify(attributes), 'utf8') > MAX_ATTRIBUTES_BYTES) {
    problems.push({ field: 'attributes', message: `at most ${MAX_ATTRIBUTES_BYTES} bytes together (as JSON)` });
  }
  return problems;
}

function addressProblem(email: string): FieldProblem[] {
  return normalizeAddress(email) ? [] : [{ field: 'email', message: 'is not a valid email address' }];
}

/** Validates a list to create. Throws ValidationError naming every offending field. */
export function parseListInput(body: unknown): ListInput {
  const parsed = parseRequest(LIST_INPUT, body);
  if (!parsed.success) throw new ValidationError('The list is invalid.', zodProblems(parsed.error));
  const { name, description } = parsed.data;
  return { name: name.trim(), ...(description !== undefined && { description }) };
}

/** Checks one contact (a POST body or an import row) without throwing. */
export function checkContact(value: unknown): ContactCheck {
  const parsed = parseRequest(CONTACT_INPUT, value);
  const input = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const email = typeof input.email === 'string' ? input.email : undefined;
  const attributes =
    input.attributes !== null && typeof input.attributes === 'object' && !Array.isArray(input.attributes) ? input.attributes : {};
  const schema = parsed.success ? [] : zodProblems(parsed.error);
  const named = new Set(schema.map((p) => p.field));
  const extra = [...(email === undefined ? [] : addressProblem(email)), ...attributeProblems(attributes as Record<string, unknown>)];
  const problems = [...schema, ...extra.filter((p) => !named.has(p.field))];
  const normalised = email === undefined ? undefined : normalizeAddress(email);
  if (!parsed.success || problems.length || !normalised) {
    return { ok: false, problems, ...(email !== undefined && { email: normalised ?? email }) };
  }
  const data = parsed.data;
  return {
    ok: true,
    contact: {
      email: normalised,
      ...(data.attributes !== undefined && { attributes: data.attributes as Record<string, AttributeValue> }),
      ...(data.status !== undefined && { status: data.status }),
    },
  };
}

/** Validates a contact to add (`POST /v1/lists/{id}/contacts`). Throws ValidationError. */
export function parseContactInput(body: unknown): ContactInput {
  const checked = checkContact(body);
  if (!checked.ok) throw new ValidationError('The contact is invalid.', checked.problems);
  return checked.contact;
}

/**
 * Validates a change to the contact at `email` (normalised). The body's `email`, when given,
 * must name the same address. Throws ValidationError.
 */
export function parseContactPatch(body: unknown, email: string): ContactPatch {
  const parsed = parseRequest(CONTACT_PATCH, body);
  if (!parsed.success) throw new ValidationError('The change is invalid.', zodProblems(parsed.error));
  const { attributes, status: newStatus, email: given } = parsed.data;
  const problems: FieldProblem[] = [];
  if (given !== undefined && normalizeAddress(given) !== email) {
    problems.push({ field: 'email', message: 'cannot change; remove the contact and add the new address' });
  }
  // Checked as the body has them: an own `__proto__` is one of them there, while the parsed record leaves it out.
  if (attributes !== undefined) problems.push(...attributeProblems((body as { attributes: Record<string, unknown> }).attributes));
  if (attributes === undefined && newStatus === undefined) {
    problems.push({ field: '(body)', message: 'give attributes, status or both' });
  }
  if (problems.length) throw new ValidationError('The change is invalid.', problems);
  return {
    ...(attributes !== undefined && { attributes: attributes as Record<string, AttributeValue> }),
    ...(newStatus !== undefined && { status: newStatus }),
  };
}

/**
 * Applies a patch's attributes to a contact's (JSON merge patch: `null` removes the name).
 * Throws ValidationError when the result has too many attributes or is too large.
 */
export function mergeAttributes(
  current: Record<string, AttributeValue>,
  patch: Record<string, AttributeValue>,
): Record<string, AttributeValue> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  const problems = attributeProblems(merged).filter((p) => p.field === 'attributes');
  if (problems.length) throw new ValidationError('The change is invalid.', problems);
  return merged;
}

function tooManyRows(count: number): ValidationError {
  return new ValidationError('The import is too large.', [
    { field: 'contacts', message: `at most ${MAX_IMPORT_ROWS} rows per import, got ${count}` },
  ]);
}

/** The rows of a JSON import, `{"contacts": [...]}`. Throws ValidationError when the document itself is wrong. */
export function importRowsFromJson(body: unknown): ImportRow[] {
  const parsed = parseRequest(CONTACT_IMPORT, body);
  if (!parsed.success) throw new ValidationError('The import is invalid.', zodProblems(parsed.error));
  const { contacts } = parsed.data;
  if (contacts.length === 0)
    throw new ValidationError('The import is empty.', [{ field: 'contacts', message: 'at least one contact is required' }]);
  if (contacts.length > MAX_IMPORT_ROWS) throw tooManyRows(contacts.length);
  return contacts.map((value, index) => ({ row: index + 1, value }));
}

/** Header problems that concern the whole file: every row would be read wrongly. */
function headerProblems(header: string[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  header.forEach((raw, index) => {
    const name = raw.trim();
    const field = `header[${index + 1}]`;
    const lower = name.toLowerCase();
    const key = lower === 'email' || lower === 'status' ? lower : name;
    if (name === '') problems.push({ field, message: 'every column needs a name' });
    else if (seen.has(key)) problems.push({ field, message: `column "${name}" appears twice` });
    else if (isReservedName(name)) problems.push({ field, message: `column "${name}" ${RESERVED_NAME_MESSAGE}` });
    else if (key !== 'email' && key !== 'status' && !isAttributeName(name)) {
      problems.push({
        field,
        message: `column "${name}" is not a valid attribute name (letters, digits and _, starting with a letter or _, at most 64)`,
      });
    }
    seen.add(key);
  });
  if (!seen.has('email')) problems.push({ field: 'header', message: 'an "email" column is required' });
  return problems;
}

/**
 * The rows of a CSV import: a header row with an `email` column, an optional `status` column,
 * and any other columns as attributes (string values; empty cells are left out). A row with
 * the wrong number of fields is a row problem. Broken quoting refuses the whole file (the rows
 * after it cannot be told apart), as do a bad header and too many rows.
 */
export function importRowsFromCsv(text: string): ImportRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // Quotes that do not delimit a field are kept as text (relax_quotes), so a stray quote
    // cannot swallow the rows after it. Blank lines are skipped below, so that each record
    // starts on the line after the previous one ends.
    records = parseCsv(text, { bom: true, relax_column_count: true, relax_quotes: true, info: true }) as unknown as typeof records;
  } catch (error) {
    const { code, lines } = error as { code?: string; lines?: number };
    const problem =
      code === 'CSV_QUOTE_NOT_CLOSED'
        ? { field: '(body)', message: 'a quoted field is never closed: the file ends inside quotes' }
        : { field: lines === undefined ? '(body)' : `line ${lines}`, message: (error as Error).message.replace(/\s+/g, ' ').slice(0, 300) };
    throw new ValidationError('The CSV file cannot be read.', [problem]);
  }
  let start = 1;
  const rows: { record: string[]; line: number }[] = [];
  for (const { record, info } of records) {
    if (!(record.length === 1 && record[0] === '')) rows.push({ record, line: start });
    start = info.lines + 1;
  }
  const [header, ...data] = rows;
  if (!header)
    throw new ValidationError('The CSV file is empty.', [{ field: '(body)', message: 'a header row with an "email" column is required' }]);
  const problems = headerProblems(header.record);
  if (problems.length) throw new ValidationError('The CSV header is invalid.', problems);
  if (data.length === 0)
    throw new ValidationError('The import is empty.', [{ field: 'contacts', message: 'at least one row after the header is required' }]);
  if (data.length > MAX_IMPORT_ROWS) throw tooManyRows(data.length);

  const columns = header.record.map((name) => {
    const trimmed = name.trim();
    const lower = trimmed.toLowerCase();
    return lower === 'email' || lower === 'status' ? lower : trimmed;
  });
  return data.map(({ record, line }, index) => {
    const row = index + 1;
    if (record.length !== columns.length) {
      const email = record[columns.indexOf('email')];
      return {
        row,
        line,
        ...(email !== undefined && email.trim() !== '' && { email: email.trim() }),
        problems: [{ field: '(row)', message: `has ${record.length} field(s); the header has ${columns.length}` }],
      };
    }
    const attributes: Record<string, string> = {};
    const value: Record<string, unknown> = { attributes };
    columns.forEach((column, i) => {
      const cell = record[i] ?? '';
      if (column === 'email') value.email = cell;
      else if (column === 'status') {
        if (cell.trim() !== '') value.status = cell.trim().toLowerCase();
      } else if (cell !== '') attributes[column] = cell;
    });
    return { row, line, value };
  });
}
