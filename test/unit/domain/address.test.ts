import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiDomain, domainOf, formatMailbox, hasControlCharacter, normalizeAddress, parseMailbox } from '../../../lib/domain/address.ts';

/** Local parts: dot-atoms of RFC 5322 atext (ASCII and letters beyond it). */
const atom = fc.string({ unit: fc.constantFrom(..."abcXYZ019!#$%&'*+/=?^_`{|}~-é"), minLength: 1, maxLength: 10 });
const dotAtom = fc
  .array(atom, { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join('.'))
  .filter((s) => s.length <= 64);
/** Quoted local parts: printable ASCII, quotes and backslashes escaped. */
const quotedLocal = fc
  .string({ unit: fc.constantFrom(...' a"\\,@()<>[]:;.z'), minLength: 0, maxLength: 12 })
  .map((s) => `"${s.replace(/(["\\])/g, '\\$1')}"`)
  .filter((s) => s.length <= 64);
const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const domain = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'example', 'org', 'museum'))
  .map(([l, tld]) => [...l, tld].join('.'));
const address = fc.tuple(fc.oneof(dotAtom, quotedLocal), domain).map(([local, d]) => `${local}@${d}`);
/** Display names: anything printable, commas, quotes, backslashes and angle brackets included. */
const displayName = fc.string({ unit: fc.constantFrom(...'Ab zé,."\\<>@;:()!#-\'ü'), maxLength: 20 });

describe('normalizeAddress', () => {
  it('converts an IDN domain to punycode and keeps the local part', () => {
    expect(normalizeAddress('user@bücher.example')).toBe('user@xn--bcher-kva.example');
    expect(normalizeAddress('José@BÜCHER.example')).toBe('José@xn--bcher-kva.example');
  });

  it('lower-cases the domain but keeps the local part as written', () => {
    expect(normalizeAddress('Bob.Smith@Example.COM')).toBe('Bob.Smith@example.com');
    expect(normalizeAddress('  bob@example.com  ')).toBe('bob@example.com');
  });

  it('accepts quoted local parts, special characters and sub-addressing', () => {
    expect(normalizeAddress('"john doe"@example.com')).toBe('"john doe"@example.com');
    expect(normalizeAddress('"a\\"b"@example.com')).toBe('"a\\"b"@example.com');
    expect(normalizeAddress('"a@b"@example.com')).toBe('"a@b"@example.com');
    expect(normalizeAddress("o'brien+news@example.co.uk")).toBe("o'brien+news@example.co.uk");
  });

  it.each([
    ['no @', 'user.example.com'],
    ['two @', 'a@b@example.com'],
    ['empty local part', '@example.com'],
    ['empty domain', 'user@'],
    ['trailing dot in the domain', 'user@example.com.'],
    ['space in the local part', 'a b@example.com'],
    ['space in the domain', 'a@exa mple.com'],
    ['no dot in the domain', 'a@b'],
    ['leading dot', '.a@example.com'],
    ['double dot', 'a..b@example.com'],
    ['trailing dot in the local part', 'a.@example.com'],
    ['label starting with a hyphen', 'a@-example.com'],
    ['label ending with a hyphen', 'a@example-.com'],
    ['numeric top-level domain', 'a@1.2.3.4'],
    ['address literal', 'a@[127.0.0.1]'],
    ['unbalanced quote', '"abc@example.com'],
    ['local part over 64 characters', `${'a'.repeat(65)}@example.com`],
    ['label over 63 characters', `a@${'b'.repeat(64)}.com`],
    ['CR LF', 'a@example.com\r\nBcc: x@example.com'],
    ['NUL', 'a\u0000@example.com'],
    ['empty', ''],
    // domainToASCII parses URL hosts and would cut these down to `example.com`.
    ['a path after the domain', 'a@example.com/x'],
    ['a query after the domain', 'a@example.com?x'],
    ['a fragment after the domain', 'a@example.com#x'],
    ['a backslash after the domain', 'a@example.com\\x'],
    ['a port', 'a@example.com:25'],
    ['a percent-encoded dot', 'a@example%2ecom'],
  ])('refuses an address with %s', (_, input) => {
    expect(normalizeAddress(input)).toBeUndefined();
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(address, (input) => {
        const once = normalizeAddress(input);
        expect(once).toBeDefined();
        expect(normalizeAddress(once!)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });
});

describe('asciiDomain and domainOf', () => {
  it('needs a dot and valid labels', () => {
    expect(asciiDomain('Example.COM')).toBe('example.com');
    expect(asciiDomain('localhost')).toBeUndefined();
    expect(asciiDomain('')).toBeUndefined();
    expect(asciiDomain(`${'a.'.repeat(127)}com`)).toBeUndefined();
  });

  it('returns the part after the last @', () => {
    expect(domainOf('"a@b"@example.com')).toBe('example.com');
  });
});

describe('parseMailbox', () => {
  it('reads a bare address, `Name <address>` and a quoted name with a comma', () => {
    expect(parseMailbox('bob@example.com')).toEqual({ address: 'bob@example.com' });
    expect(parseMailbox('Bob Smith <Bob@Example.COM>')).toEqual({ name: 'Bob Smith', address: 'Bob@example.com' });
    expect(parseMailbox('"Smith, Bob" <bob@example.com>')).toEqual({ name: 'Smith, Bob', address: 'bob@example.com' });
    expect(parseMailbox('  "Say \\"hi\\"" <bob@example.com>  ')).toEqual({ name: 'Say "hi"', address: 'bob@example.com' });
    expect(parseMailbox('<bob@example.com>')).toEqual({ address: 'bob@example.com' });
    expect(parseMailbox('Zoë <zoë@bücher.example>')).toEqual({ name: 'Zoë', address: 'zoë@xn--bcher-kva.example' });
    // A quoted local part may hold angle brackets, with or without a display name.
    expect(parseMailbox('"a>b"@example.com')).toEqual({ address: '"a>b"@example.com' });
    expect(parseMailbox('Bob <"a>b"@example.com>')).toEqual({ name: 'Bob', address: '"a>b"@example.com' });
  });

  it('refuses invalid addresses and anything left over', () => {
    for (const input of [
      'Bob <bob@example>',
      'Bob <bob@example.com/x>',
      'bob@example.com\\<">',
      'Bob <bob@example.com> extra',
      'Bob <bob@example.com',
      '<>',
      'a <b> <c@example.com>',
      'Bob "x" <bob@example.com>',
    ]) {
      expect(parseMailbox(input), input).toBeUndefined();
    }
  });

  it('refuses a display name or address with a control character', () => {
    expect(parseMailbox('Evil\r\nBcc: victim@example.com <bob@example.com>')).toBeUndefined();
    expect(parseMailbox('"Evil\nName" <bob@example.com>')).toBeUndefined();
    expect(parseMailbox('Bob <bob@example.com\u0000>')).toBeUndefined();
  });

  it('answers in linear time, whatever the input (no regular-expression backtracking blow-up)', () => {
    // Before the fix these took seconds (cubic on runs of spaces, quadratic on `a   …x`).
    for (const input of [
      ' '.repeat(2_000),
      `a${' '.repeat(100_000)}x`,
      `"${' '.repeat(100_000)}`,
      `a<${' '.repeat(100_000)}`,
      '<'.repeat(100_000),
    ]) {
      const started = performance.now();
      expect(parseMailbox(input)).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(250);
    }
  });

  it('round-trips: formatting a parsed mailbox and parsing it again gives the same mailbox', () => {
    fc.assert(
      fc.property(displayName, address, fc.constantFrom('quoted', 'bare', 'none'), (name, addr, style) => {
        const input =
          style === 'none' ? addr : style === 'quoted' ? `"${name.replace(/(["\\])/g, '\\$1')}" <${addr}>` : `${name} <${addr}>`;
        const parsed = parseMailbox(input);
        if (style !== 'bare') expect(parsed, input).toBeDefined();
        if (!parsed) return;
        const formatted = formatMailbox(parsed);
        expect(hasControlCharacter(formatted)).toBe(false);
        expect(parseMailbox(formatted)).toEqual(parsed);
      }),
      { numRuns: 500 },
    );
  });
});

describe('formatMailbox', () => {
  it('quotes a display name only when it needs quoting', () => {
    expect(formatMailbox({ address: 'bob@example.com' })).toBe('bob@example.com');
    expect(formatMailbox({ name: 'Bob Smith', address: 'bob@example.com' })).toBe('Bob Smith <bob@example.com>');
    expect(formatMailbox({ name: 'Smith, Bob', address: 'bob@example.com' })).toBe('"Smith, Bob" <bob@example.com>');
    expect(formatMailbox({ name: 'a "b" \\c', address: 'bob@example.com' })).toBe('"a \\"b\\" \\\\c" <bob@example.com>');
  });
});

describe('hasControlCharacter', () => {
  it('finds CR, LF, NUL, TAB and DEL, and nothing in printable text', () => {
    for (const c of ['\r', '\n', '\u0000', '\t', '\u007f', '\u001b']) expect(hasControlCharacter(`a${c}b`)).toBe(true);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => {
        expect(hasControlCharacter(s)).toBe(/[\u0000-\u001f\u007f]/.test(s));
      }),
      { numRuns: 200 },
    );
  });
});
