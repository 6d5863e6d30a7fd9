import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError, type FieldProblem } from '../../../lib/domain/errors.ts';
import {
  MAX_ATTRIBUTES,
  MAX_ATTRIBUTE_LENGTH,
  MAX_IMPORT_ROWS,
  checkContact,
  importRowsFromCsv,
  importRowsFromJson,
  mergeAttributes,
  parseContactInput,
  parseContactPatch,
  parseListInput,
} from '../../../lib/domain/list-requests.ts';

/** The problems `parse` refuses its input with (fails the test when it accepts it or throws anything else). */
function problems(parse: () => unknown): FieldProblem[] {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return ((error as ValidationError).details as FieldProblem[] | undefined) ?? [];
  }
  throw new Error('accepted');
}

const fields = (parse: () => unknown) => problems(parse).map((p) => p.field);

describe('parseListInput', () => {
  it('takes a name (trimmed) and an optional description', () => {
    expect(parseListInput({ name: '  Newsletter ' })).toEqual({ name: 'Newsletter' });
    expect(parseListInput({ name: 'N', description: 'Monthly news.\nTwo lines.' })).toEqual({
      name: 'N',
      description: 'Monthly news.\nTwo lines.',
    });
    expect(parseListInput({ name: 'x'.repeat(200) }).name).toHaveLength(200);
  });

  it.each<[string, unknown, string]>([
    ['a missing name', {}, 'name'],
    ['an empty name', { name: '  ' }, 'name'],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, 'name'],
    ['a name with a line break', { name: 'News\r\nBcc: x@example.com' }, 'name'],
    ['a name that is not a string', { name: 5 }, 'name'],
    ['a description with NUL', { name: 'N', description: 'a\u0000b' }, 'description'],
    ['a description over 1000 characters', { name: 'N', description: 'x'.repeat(1001) }, 'description'],
    ['an unknown field', { name: 'N', colour: 'red' }, 'colour'],
    ['a body that is not an object', ['N'], '(body)'],
  ])('refuses %s', (_, body, field) => {
    expect(fields(() => parseListInput(body))).toContain(field);
  });
});

describe('parseContactInput', () => {
  it('normalises the address and keeps attributes and status', () => {
    expect(
      parseContactInput({
        email: ' Ada@Example.COM ',
        attributes: { first_name: 'Ada', age: 36, vip: true, note: null, _x: '' },
        status: 'unsubscribed',
      }),
    ).toEqual({
      email: 'Ada@example.com',
      attributes: { first_name: 'Ada', age: 36, vip: true, note: null, _x: '' },
      status: 'unsubscribed',
    });
    expect(parseContactInput({ email: 'bob@bücher.example' })).toEqual({ email: 'bob@xn--bcher-kva.example' });
  });

  it('takes 50 attributes of 2048 characters, tabs included', () => {
    const attributes = Object.fromEntries(
      Array.from({ length: MAX_ATTRIBUTES }, (_, i) => [`a${i}`, `\t${'x'.repeat(MAX_ATTRIBUTE_LENGTH - 1)}`]),
    );
    expect(parseContactInput({ email: 'a@example.com', attributes }).attributes).toEqual(attributes);
  });

  it.each<[string, unknown, string]>([
    ['a missing address', { attributes: {} }, 'email'],
    ['an invalid address', { email: 'not-an-address' }, 'email'],
    ['an address that is not a string', { email: 42 }, 'email'],
    ['an unknown status', { email: 'a@example.com', status: 'pending' }, 'status'],
    ['an unknown field', { email: 'a@example.com', name: 'Ada' }, 'name'],
    ['attributes that are not an object', { email: 'a@example.com', attributes: ['x'] }, 'attributes'],
    [
      'more than 50 attributes',
      { email: 'a@example.com', attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`a${i}`, 1])) },
      'attributes',
    ],
    ['an attribute name with a hyphen', { email: 'a@example.com', attributes: { 'first-name': 'x' } }, 'attributes.first-name'],
    ['an attribute name starting with a digit', { email: 'a@example.com', attributes: { '1st': 'x' } }, 'attributes.1st'],
    [
      'an attribute name over 64 characters',
      { email: 'a@example.com', attributes: { ['a'.repeat(65)]: 'x' } },
      `attributes.${'a'.repeat(65)}`,
    ],
    ['an empty attribute name', { email: 'a@example.com', attributes: { '': 'x' } }, 'attributes.'],
    ['__proto__ as a name', JSON.parse('{"email":"a@example.com","attributes":{"__proto__":"x"}}'), 'attributes.__proto__'],
    ['a value with CR LF', { email: 'a@example.com', attributes: { first_name: 'Ada\r\nBcc: x@example.com' } }, 'attributes.first_name'],
    ['a value with NUL', { email: 'a@example.com', attributes: { first_name: 'A\u0000' } }, 'attributes.first_name'],
    ['a value over 2048 characters', { email: 'a@example.com', attributes: { note: 'x'.repeat(2049) } }, 'attributes.note'],
    ['an object value', { email: 'a@example.com', attributes: { address: { city: 'Paris' } } }, 'attributes.address'],
    ['an array value', { email: 'a@example.com', attributes: { tags: ['a'] } }, 'attributes.tags'],
    ['a number DynamoDB cannot store', { email: 'a@example.com', attributes: { big: 2 ** 60 } }, 'attributes.big'],
    ['a number too small to store', { email: 'a@example.com', attributes: { tiny: 1e-200 } }, 'attributes.tiny'],
  ])('refuses %s, naming the field', (_, body, field) => {
    expect(fields(() => parseContactInput(body))).toContain(field);
  });

  it('names every problem at once', () => {
    expect(fields(() => parseContactInput({ email: 'nope', status: 'x', attributes: { 'a-b': 1, ok: 'x\n' } })).sort()).toEqual(
      ['attributes.a-b', 'attributes.ok', 'email', 'status'].sort(),
    );
  });

  it('refuses attributes larger than 128 KiB together', () => {
    // 50 values of 2048 four-byte characters: each is allowed alone, together they are 400 KiB.
    const attributes = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`a${i}`, '😀'.repeat(1024)]));
    expect(fields(() => parseContactInput({ email: 'a@example.com', attributes }))).toEqual(['attributes']);
  });

  it('checkContact reports the normalised address of a refused row', () => {
    expect(checkContact({ email: 'A@EXAMPLE.com', attributes: { 'x y': 1 } })).toEqual({
      ok: false,
      email: 'A@example.com',
      problems: [{ field: 'attributes.x y', message: expect.any(String) }],
    });
    expect(checkContact(7)).toEqual({ ok: false, problems: [{ field: '(body)', message: 'must be a JSON object' }] });
  });
});

describe('parseContactPatch and mergeAttributes', () => {
  it('takes attributes and/or status, and the unchanged address', () => {
    expect(parseContactPatch({ status: 'unsubscribed' }, 'a@example.com')).toEqual({ status: 'unsubscribed' });
    expect(parseContactPatch({ email: 'a@EXAMPLE.com', attributes: { x: null } }, 'a@example.com')).toEqual({ attributes: { x: null } });
  });

  it.each<[string, unknown, string]>([
    ['an empty change', {}, '(body)'],
    ['another address', { email: 'b@example.com', status: 'subscribed' }, 'email'],
    ['a bad attribute', { attributes: { 'a b': 1 } }, 'attributes.a b'],
    ['an unknown field', { status: 'subscribed', list: 'x' }, 'list'],
  ])('refuses %s', (_, body, field) => {
    expect(fields(() => parseContactPatch(body, 'a@example.com'))).toContain(field);
  });

  it('merges: given names are set, null removes, others stay', () => {
    expect(mergeAttributes({ a: 1, b: 'x', c: true }, { b: 'y', c: null, d: 0 })).toEqual({ a: 1, b: 'y', d: 0 });
  });

  it('refuses a merge that passes 50 attributes', () => {
    const current = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`a${i}`, i]));
    expect(fields(() => mergeAttributes(current, { extra: 1 }))).toEqual(['attributes']);
    expect(Object.keys(mergeAttributes(current, { extra: 1, a0: null }))).toHaveLength(50);
  });
});

describe('importRowsFromJson', () => {
  it('numbers rows from 1 and leaves checking each row to checkContact', () => {
    expect(importRowsFromJson({ contacts: [{ email: 'a@example.com' }, 'junk'] })).toEqual([
      { row: 1, value: { email: 'a@example.com' } },
      { row: 2, value: 'junk' },
    ]);
  });

  it.each<[string, unknown, string]>([
    ['no contacts field', {}, 'contacts'],
    ['contacts that are not an array', { contacts: {} }, 'contacts'],
    ['an empty import', { contacts: [] }, 'contacts'],
    ['an unknown field', { contacts: [{ email: 'a@example.com' }], list: 'x' }, 'list'],
    ['a body that is not an object', [{ email: 'a@example.com' }], '(body)'],
  ])('refuses %s', (_, body, field) => {
    expect(fields(() => importRowsFromJson(body))).toContain(field);
  });

  it(`refuses more than ${MAX_IMPORT_ROWS} rows as a whole`, () => {
    const contacts = Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => ({ email: 'a@example.com' }));
    expect(problems(() => importRowsFromJson({ contacts }))).toEqual([{ field: 'contacts', message: expect.stringContaining('50000') }]);
  });
});

describe('importRowsFromCsv', () => {
  it('reads email, status and attribute columns; empty cells are left out; rows know their line', () => {
    const csv =
      '\ufeffEmail,first_name,Status,city\r\nada@example.com,Ada,,Paris\r\n\r\nbob@example.com,"Bob, Jr.",Unsubscribed,\r\n"carl@example.com","multi\nline",subscribed,x"y\r\n';
    expect(importRowsFromCsv(csv)).toEqual([
      { row: 1, line: 2, value: { email: 'ada@example.com', attributes: { first_name: 'Ada', city: 'Paris' } } },
      { row: 2, line: 4, value: { email: 'bob@example.com', status: 'unsubscribed', attributes: { first_name: 'Bob, Jr.' } } },
      {
        row: 3,
        line: 5,
        value: { email: 'carl@example.com', status: 'subscribed', attributes: { first_name: 'multi\nline', city: 'x"y' } },
      },
    ]);
  });

  it('reports a row with the wrong number of fields as that row’s problem', () => {
    const rows = importRowsFromCsv('email,name\na@example.com\nb@example.com,B,extra\nc@example.com,C\n');
    expect(rows.map((r) => [r.row, r.line, r.problems?.[0]?.field ?? 'ok'])).toEqual([
      [1, 2, '(row)'],
      [2, 3, '(row)'],
      [3, 4, 'ok'],
    ]);
    expect(rows[0]).toEqual({
      row: 1,
      line: 2,
      email: 'a@example.com',
      problems: [{ field: '(row)', message: 'has 1 field(s); the header has 2' }],
    });
  });

  it('keeps quotes that do not delimit a field as text, without swallowing the rows after them', () => {
    const rows = importRowsFromCsv('email,name\na@example.com,"Ada"x\nb@example.com,Bo"b\n');
    expect(rows.map((r) => r.value)).toEqual([
      { email: 'a@example.com', attributes: { name: '"Ada"x' } },
      { email: 'b@example.com', attributes: { name: 'Bo"b' } },
    ]);
  });

  it('leaves values to checkContact: a multi-line cell is refused there, by row', () => {
    const [row] = importRowsFromCsv('email,note\na@example.com,"two\nlines"\n');
    expect(checkContact(row?.value)).toMatchObject({ ok: false, problems: [{ field: 'attributes.note' }] });
  });

  it.each<[string, string, string]>([
    ['an empty file', '', '(body)'],
    ['a file without an email column', 'name,city\nAda,Paris\n', 'header'],
    ['a header only', 'email,name\n', 'contacts'],
    ['a column without a name', 'email,,city\na@example.com,x,y\n', 'header[2]'],
    ['a column twice', 'email,city,City,city\na@example.com,x,y,z\n', 'header[4]'],
    ['an email column twice', 'email,EMAIL\na@example.com,b@example.com\n', 'header[2]'],
    ['a column that is not an attribute name', 'email,First Name\na@example.com,Ada\n', 'header[2]'],
    ['a quote that is never closed', 'email,name\na@example.com,"Ada\nb@example.com,Bob\n', '(body)'],
  ])('refuses %s as a whole', (_, csv, field) => {
    expect(fields(() => importRowsFromCsv(csv))).toContain(field);
  });

  it('keeps any value a CSV writer quotes, for any printable attribute text (property)', () => {
    const cell = fc.string({ maxLength: 40 }).filter((s) => s !== '' && !/[\u0000-\u001f\u007f]/.test(s));
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 20 }), (values) => {
        const csv = stringify([['email', 'value'], ...values.map((v, i) => [`u${i}@example.com`, v])]);
        const rows = importRowsFromCsv(csv);
        expect(rows.map((r) => (r.value as { attributes: { value: string } }).attributes.value)).toEqual(values);
      }),
    );
  });
});
