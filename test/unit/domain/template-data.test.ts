import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DATA_BYTES, MAX_DATA_DEPTH, MAX_DATA_NAMES, templateDataProblems } from '../../../lib/domain/template-data.ts';

const fields = (data: unknown) => templateDataProblems(data, 'template.data').map((p) => p.field);
/** As a body has it: through JSON.parse, where `__proto__` is an own key. */
const parsed = (json: string): unknown => JSON.parse(json);

describe('templateDataProblems', () => {
  it('accepts strings, numbers, booleans, null and nested objects', () => {
    expect(
      fields({ name: 'Ann', total: 12.5, paid: true, coupon: null, order: { id: 'A-1', address: { city: 'Lyon', lines: 'a\nb' } } }),
    ).toEqual([]);
  });

  it('takes names as template variables: letters, digits and _, not starting with a digit', () => {
    expect(fields({ 'first-name': 'x', '1st': 'x', 'a b': 'x', ok_1: 'x', _x: 'x', ['n'.repeat(65)]: 'x' })).toEqual([
      'template.data.first-name',
      'template.data.1st',
      'template.data.a b',
      `template.data.${'n'.repeat(65)}`,
    ]);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses %s as a name at every level, naming its path', (name) => {
    expect(templateDataProblems(parsed(`{"${name}": "x"}`), 'template.data')).toEqual([
      { field: `template.data.${name}`, message: expect.stringMatching(/reserved name/) },
    ]);
    expect(fields(parsed(`{"order": {"lines": {"${name}": {"polluted": true}}}}`))).toEqual([`template.data.order.lines.${name}`]);
  });

  it('refuses arrays, saying templates have no each', () => {
    const [problem] = templateDataProblems({ items: [1, 2] }, 'data');
    expect(problem).toEqual({ field: 'data.items', message: expect.stringMatching(/arrays are not supported.*each/) });
    expect(fields([{ a: 1 }])).toEqual(['template.data']);
  });

  it(`allows ${MAX_DATA_DEPTH} levels of names and no more`, () => {
    expect(fields({ a: { b: { c: { d: 'x' } } } })).toEqual([]);
    expect(fields({ a: { b: { c: { d: { e: 'x' } } } } })).toEqual(['template.data.a.b.c.d']);
  });

  it(`allows ${MAX_DATA_NAMES} names per object and ${MAX_DATA_BYTES} bytes in all`, () => {
    const names = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`n${i}`, i]));
    expect(fields(names(MAX_DATA_NAMES))).toEqual([]);
    expect(fields(names(MAX_DATA_NAMES + 1))).toEqual(['template.data']);
    expect(fields({ order: names(MAX_DATA_NAMES + 1) })).toEqual(['template.data.order']);
    const big = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`s${i}`, 'x'.repeat(4000)]));
    expect(fields(big)).toEqual(['template.data']);
  });

  it('refuses unpaired surrogates and values that are not JSON scalars or objects', () => {
    expect(fields(parsed('{"a": "\\ud800", "b": "ok 😀"}'))).toEqual(['template.data.a']);
    expect(fields({ a: undefined, b: () => 1, c: Number.NaN })).toEqual(['template.data.a', 'template.data.b', 'template.data.c']);
  });

  it('refuses data that is not an object', () => {
    for (const data of [null, 'x', 3, true]) expect(fields(data)).toEqual(['template.data']);
  });

  it('accepts any data made by the rules, and names the path of any reserved name hidden in it', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/).filter((n) => !['constructor', 'prototype'].includes(n));
    const scalar = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const { data } = fc.letrec((tie) => ({
      data: fc.dictionary(name, fc.oneof({ depthSize: 'small', maxDepth: 3 }, scalar, tie('data')), { maxKeys: 5 }),
    }));
    /** Levels of objects: 1 for an object of scalars. */
    const levels = (value: unknown): number =>
      value !== null && typeof value === 'object' ? 1 + Math.max(0, ...Object.values(value).map(levels)) : 0;
    // Two levels short of the limit, so that the data still fits once wrapped in `outer.rest`.
    const fitting = data.filter((value) => levels(value) <= MAX_DATA_DEPTH - 2);
    fc.assert(
      fc.property(fitting, fc.constantFrom('__proto__', 'constructor', 'prototype'), (value, reserved) => {
        const json = JSON.stringify(value);
        expect(fields(parsed(json))).toEqual([]);
        const hidden = parsed(`{"outer": {"${reserved}": 1, "rest": ${json}}}`);
        expect(fields(hidden)).toEqual([`template.data.outer.${reserved}`]);
      }),
      { numRuns: 200 },
    );
  });
});
