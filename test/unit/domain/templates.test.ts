import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttributeValue } from '../../../lib/domain/mailing-list.ts';
import { MAX_SUBJECT } from '../../../lib/domain/send-request.ts';
import { cleanSubject, compileTemplates, TemplateError, type TemplateProblem } from '../../../lib/domain/templates.ts';

const vars = { email: 'ann@example.com', unsubscribe_url: 'https://mail.example.com/u/abc.def' };

function render(parts: { subject?: string; html?: string; text?: string }, attributes: Record<string, AttributeValue> = {}) {
  return compileTemplates({
    subject: parts.subject ?? 'Hi',
    ...(parts.html !== undefined && { html: parts.html }),
    ...(parts.text !== undefined && { text: parts.text }),
  }).render(attributes, vars);
}

/** The problem a template set is refused with (fails the test when it compiles). */
function problem(parts: { subject?: string; html?: string; text?: string }): TemplateProblem {
  try {
    compileTemplates({
      subject: parts.subject ?? 'Hi',
      ...(parts.html !== undefined && { html: parts.html }),
      ...(parts.text !== undefined && { text: parts.text }),
    });
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError);
    const e = error as TemplateError;
    expect(e.status).toBe(422);
    expect(e.code).toBe('template_error');
    expect(e.details).toEqual(e.problem);
    return e.problem;
  }
  throw new Error(`compiled: ${JSON.stringify(parts)}`);
}

describe('rendering', () => {
  it('HTML-escapes values in the html part only', () => {
    const hostile = `<script>alert("x")</script> & 'quotes' \`tick\` a=b`;
    const out = render({ subject: 'For {{name}}', html: '<p>{{name}}</p>', text: 'Dear {{name}}' }, { name: hostile });
    expect(out.html).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quotes&#x27; &#x60;tick&#x60; a&#x3D;b</p>');
    expect(out.text).toBe(`Dear ${hostile}`);
    expect(out.subject).toBe(`For ${hostile}`);
  });

  it('renders a variable the contact lacks as empty, in every part and at any depth', () => {
    const out = render({ subject: 'Hi {{first_name}}!', html: '<p>{{first_name}}{{a.b.c}}</p>', text: '[{{missing}}]' });
    expect(out).toEqual({ subject: 'Hi !', html: '<p></p>', text: '[]' });
  });

  it('offers email and unsubscribe_url, which win over attributes of those names', () => {
    const out = render(
      { html: '<a href="{{unsubscribe_url}}">{{email}}</a>' },
      { email: 'forged@evil.example', unsubscribe_url: 'https://evil.example' },
    );
    expect(out.html).toBe('<a href="https://mail.example.com/u/abc.def">ann@example.com</a>');
  });

  it('renders numbers, booleans and null', () => {
    expect(render({ text: '{{n}} {{yes}} {{no}} [{{nothing}}]' }, { n: 42.5, yes: true, no: false, nothing: null }).text).toBe(
      '42.5 true false []',
    );
  });

  it('supports if / unless / else / with and lookup', () => {
    const template =
      '{{#if vip}}VIP{{else if first_name}}Hi {{first_name}}{{else}}Hello{{/if}}|{{#unless vip}}regular{{/unless}}|{{#with city}}in {{this}}{{/with}}|{{lookup this "city"}}';
    expect(render({ text: template }, { vip: true, city: 'Oslo' }).text).toBe('VIP||in Oslo|Oslo');
    expect(render({ text: template }, { first_name: 'Ann' }).text).toBe('Hi Ann|regular||');
    expect(render({ text: template }, {}).text).toBe('Hello|regular||');
  });

  it('shows a value that looks like a template as it is', () => {
    const out = render({ html: '<p>{{name}}</p>', text: '{{name}}' }, { name: '{{constructor}} {{> partial}} {{{raw}}}' });
    expect(out.text).toBe('{{constructor}} {{> partial}} {{{raw}}}');
    expect(out.html).toBe('<p>{{constructor}} {{&gt; partial}} {{{raw}}}</p>');
  });

  it('reads nothing from prototypes: constructor, __proto__ and methods render empty', () => {
    const template =
      '[{{constructor}}][{{__proto__}}][{{toString}}][{{hasOwnProperty}}][{{email.constructor}}][{{email.constructor.name}}][{{lookup email "constructor"}}][{{lookup this "__proto__"}}][{{this}}][{{@root}}]';
    expect(render({ text: template, html: template }, { name: 'x' })).toEqual({
      subject: 'Hi',
      text: '[][][][][][][][][][]',
      html: '[][][][][][][][][][]',
    });
  });

  it('cannot be broken by attribute names that shadow what the engine or JavaScript uses', () => {
    const attributes = JSON.parse(
      '{"constructor":"C","toString":"T","valueOf":"V","toHTML":"H","hasOwnProperty":"O","__proto__":"P","prototype":"R"}',
    ) as Record<string, AttributeValue>;
    const out = render(
      {
        subject: '{{constructor}}{{toString}}{{valueOf}}',
        text: '{{this}}|{{@root}}|{{toHTML}}|{{__proto__}}|{{prototype}}',
        html: '{{this}}{{hasOwnProperty}}',
      },
      attributes,
    );
    // `toHTML` is the engine's own hook and is left out; the rest are plain values, `__proto__` too.
    expect(out).toEqual({ subject: 'CTV', text: '|||P|R', html: 'O' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.toString.call({})).toBe('[object Object]');
  });

  it('never throws, whatever the contact holds', () => {
    const templates = compileTemplates({
      subject: '{{a}} {{b.c}} {{#if a}}{{a}}{{/if}}',
      html: '{{#with a}}{{this}}{{../b}}{{/with}}{{#a}}[{{.}}]{{/a}}{{#unless b}}{{lookup this "a"}}{{/unless}}{{this}}{{@root.a}}',
      text: '{{#if a}}{{#with b}}{{#unless c}}{{this}}{{/unless}}{{/with}}{{/if}}{{lookup a "length"}}',
    });
    const name = fc.constantFrom(
      'a',
      'b',
      'c',
      'toHTML',
      'toString',
      'valueOf',
      'constructor',
      'length',
      'hasOwnProperty',
      '__defineGetter__',
    );
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('{{a}}', '<b>', '\r\n'),
    );
    fc.assert(
      fc.property(fc.dictionary(name, value), (attributes) => {
        const out = templates.render(attributes, vars);
        expect(typeof out.subject).toBe('string');
        expect(out.subject).not.toMatch(/[\r\n]/);
      }),
      { numRuns: 500 },
    );
  });
});

describe('subject', () => {
  it('replaces CR, LF and other control characters by spaces', () => {
    const out = render({ subject: 'Hi {{name}}' }, { name: 'Ann\r\nBcc: victim@example.com\tX\u0000Y\u2028Z' });
    expect(out.subject).toBe('Hi Ann  Bcc: victim@example.com X Y Z');
  });

  it('is cut at the longest subject, never inside a character', () => {
    expect(render({ subject: '{{long}}' }, { long: 'é'.repeat(2000) }).subject).toHaveLength(MAX_SUBJECT);
    const emoji = cleanSubject('😀'.repeat(1000));
    expect(Array.from(emoji)).toHaveLength(MAX_SUBJECT);
    expect(emoji.endsWith('😀')).toBe(true);
  });
});

describe('template errors', () => {
  it('reports a syntax error with its part and line', () => {
    expect(problem({ html: '<p>\n<b>{{first_name}</b>\n</p>' })).toMatchObject({
      part: 'html',
      line: 2,
      message: expect.stringMatching(/^parse error/),
    });
    expect(problem({ text: 'one\ntwo\n{{#if vip}}three' })).toMatchObject({ part: 'text', line: 3 });
    expect(problem({ subject: 'Hi {{name' })).toMatchObject({ part: 'subject', line: 1 });
    const error = (() => {
      try {
        compileTemplates({ subject: 'ok', html: 'a\n{{#if x}}b{{/unless}}' });
      } catch (e) {
        return e as TemplateError;
      }
    })();
    expect(error?.message).toMatch(/^The html template has an error on line 2: /);
  });

  it('refuses what could fail or escape at render time, with the line', () => {
    expect(problem({ html: 'a\n{{> footer}}' })).toMatchObject({ part: 'html', line: 2, message: expect.stringContaining('partials') });
    expect(problem({ html: '{{#> layout}}x{{/layout}}' }).message).toContain('partials');
    expect(problem({ text: '{{#each items}}{{this}}{{/each}}' }).message).toContain('"each"');
    expect(problem({ text: '{{log "hi"}}' }).message).toContain('"log"');
    expect(problem({ text: '{{*inline}}' }).message).toContain('decorators');
    expect(problem({ text: '{{shout name}}' }).message).toContain('unknown helper shout');
    expect(problem({ text: '{{#if}}x{{/if}}' }).message).toContain('exactly one value');
    expect(problem({ text: '{{#if a b}}x{{/if}}' }).message).toContain('exactly one value');
    expect(problem({ text: '{{if a}}' }).message).toContain('block helper');
    expect(problem({ text: '{{lookup this}}' }).message).toContain('"lookup"');
    expect(problem({ text: 'x\n\n  {{#with}}y{{/with}}' })).toMatchObject({ line: 3, column: 2 });
  });

  it('refuses unescaped output in the html part, not in text or subject', () => {
    expect(problem({ html: '<p>{{{name}}}</p>' })).toMatchObject({ part: 'html', message: expect.stringContaining('HTML-escaped') });
    expect(problem({ html: '<p>{{& name}}</p>' }).part).toBe('html');
    expect(render({ text: '{{{name}}}', subject: '{{{name}}}' }, { name: '<b>' })).toMatchObject({ text: '<b>', subject: '<b>' });
  });

  it('checks every part: the first wrong one is reported', () => {
    expect(problem({ subject: 'ok', html: 'ok', text: '{{/if}}' }).part).toBe('text');
    expect(problem({ subject: '{{#if}}{{/if}}', html: '{{' }).part).toBe('subject');
  });
});
