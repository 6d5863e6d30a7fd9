/** Validation messages say what is wrong with each field, for every request schema of the API. */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { parseCampaignRequest } from '../../../lib/domain/campaign.ts';
import type { FieldProblem } from '../../../lib/domain/errors.ts';
import { ValidationError } from '../../../lib/domain/errors.ts';
import { fieldPath, parseRequest, zodProblems } from '../../../lib/domain/field-problems.ts';
import { importRowsFromJson, parseContactInput, parseContactPatch, parseListInput } from '../../../lib/domain/list-requests.ts';
import { parseKeyInput, parseTenantInput, parseTenantPatch } from '../../../lib/domain/tenant-requests.ts';
import { parseConversion } from '../../../lib/use-cases/track.ts';

/** The field problems `parse` throws for `body`. */
function problems(parse: () => unknown): FieldProblem[] {
  try {
    parse();
  } catch (error) {
    if (error instanceof ValidationError) return error.details as FieldProblem[];
    throw error;
  }
  throw new Error('no ValidationError');
}

describe('zodProblems', () => {
  const schema = z.strictObject({
    name: z.string().min(1).max(5),
    count: z.number().int().min(1).max(10),
    items: z.array(z.string()).min(2).max(3),
    kind: z.enum(['a', 'b']),
    flag: z.boolean().optional(),
    one: z.union([z.string(), z.array(z.string()).max(2)]).optional(),
    names: z.record(z.string().max(3), z.string()).optional(),
    own: z.string().max(1, 'my own words').optional(),
  });
  const of = (value: unknown) => {
    const parsed = parseRequest(schema, value);
    return parsed.success ? [] : zodProblems(parsed.error);
  };

  it('says what is required, too long, too many, too few, out of range, of the wrong type or not one of the choices', () => {
    expect(of({})).toEqual([
      { field: 'name', message: 'is required' },
      { field: 'count', message: 'is required' },
      { field: 'items', message: 'is required' },
      { field: 'kind', message: 'is required' },
    ]);
    expect(of({ name: 'abcdef', count: 11, items: ['x', 'y', 'z', 'w'], kind: 'c', flag: 'yes' })).toEqual([
      { field: 'name', message: 'at most 5 characters' },
      { field: 'count', message: 'must be at most 10' },
      { field: 'items', message: 'at most 3 items' },
      { field: 'kind', message: 'must be one of "a", "b"' },
      { field: 'flag', message: 'must be true or false, not a string' },
    ]);
    expect(of({ name: '', count: 0, items: ['x'], kind: 'a' })).toEqual([
      { field: 'name', message: 'must not be empty' },
      { field: 'count', message: 'must be at least 1' },
      { field: 'items', message: 'at least 2 items' },
    ]);
    expect(of({ name: 5, count: 1.5, items: [1, 'x'], kind: 'a' })).toEqual([
      { field: 'name', message: 'must be a string, not a number' },
      { field: 'count', message: 'must be an integer, not a number' },
      { field: 'items[0]', message: 'must be a string, not a number' },
    ]);
  });

  it('reports a union in the form the value has, a record key by its name, unknown fields, and keeps the schema’s own words', () => {
    const valid = { name: 'a', count: 1, items: ['x', 'y'], kind: 'a' };
    expect(of({ ...valid, one: ['a', 'b', 'c'] })).toEqual([{ field: 'one', message: 'at most 2 items' }]);
    expect(of({ ...valid, one: 5 })).toEqual([{ field: 'one', message: 'must be a string or an array, not a number' }]);
    expect(of({ ...valid, names: { long: 'x' } })).toEqual([{ field: 'names.long', message: 'at most 3 characters' }]);
    expect(of({ ...valid, extra: 1 })).toEqual([{ field: 'extra', message: 'unknown field(s): extra' }]);
    expect(of({ ...valid, own: 'xx' })).toEqual([{ field: 'own', message: 'my own words' }]);
    expect(of([])).toEqual([{ field: '(body)', message: 'must be a JSON object' }]);
  });

  it('names fields by path', () => {
    expect(fieldPath(['to', 1])).toBe('to[1]');
    expect(fieldPath(['contacts', 3, 'attributes', 'first_name'])).toBe('contacts[3].attributes.first_name');
  });
});

describe('the request schemas', () => {
  it.each<[string, () => unknown, FieldProblem[]]>([
    ['a list without a name', () => parseListInput({}), [{ field: 'name', message: 'is required' }]],
    [
      'a list with a long name and a number for a description',
      () => parseListInput({ name: 'n'.repeat(201), description: 5 }),
      [
        { field: 'name', message: 'at most 200 characters' },
        { field: 'description', message: 'must be a string, not a number' },
      ],
    ],
    ['a contact without an address', () => parseContactInput({}), [{ field: 'email', message: 'is required' }]],
    [
      'a contact change with a number for email',
      () => parseContactPatch({ email: 5 }, 'a@example.com'),
      [{ field: 'email', message: 'must be a string, not a number' }],
    ],
    ['an import without contacts', () => importRowsFromJson({}), [{ field: 'contacts', message: 'is required' }]],
    [
      'a campaign without list, sender, subject or body',
      () => parseCampaignRequest({}),
      [
        { field: 'list_id', message: 'is required' },
        { field: 'from', message: 'is required' },
        { field: 'subject', message: 'is required' },
        { field: 'text', message: 'a body is required: give text, html or both' },
      ],
    ],
    [
      'a campaign with wrong types and 11 reply-to addresses',
      () =>
        parseCampaignRequest({
          list_id: 5,
          from: 'news@shop.example',
          subject: 'Hi',
          text: 'x',
          reply_to: Array.from({ length: 11 }, () => 'a@shop.example'),
          tracking: { opens: 'yes' },
        }),
      [
        { field: 'list_id', message: 'must be a string, not a number' },
        { field: 'reply_to', message: 'at most 10 addresses' },
        { field: 'tracking.opens', message: 'must be true or false, not a string' },
      ],
    ],
    [
      'a tenant without id or name',
      () => parseTenantInput({}),
      [
        { field: 'id', message: 'is required' },
        { field: 'name', message: 'is required' },
      ],
    ],
    [
      'an SMTP relay without its URL',
      () => parseTenantPatch({ relay: { type: 'smtp' } }),
      [{ field: 'relay.url', message: 'is required' }],
    ],
    [
      'a relay of an unknown type',
      () => parseTenantPatch({ relay: { type: 'x' } }),
      [{ field: 'relay.type', message: 'must be one of "smtp", "ses"' }],
    ],
    [
      'a key with an unknown scope',
      () => parseKeyInput({ scopes: ['x'] }),
      [{ field: 'scopes[0]', message: 'must be one of "send", "read", "admin"' }],
    ],
    ['a conversion without a token', () => parseConversion({}), [{ field: 'token', message: 'is required' }]],
  ])('%s', (_, parse, expected) => {
    expect(problems(parse)).toEqual(expected);
  });
});
