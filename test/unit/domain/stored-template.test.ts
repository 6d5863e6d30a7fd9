import { describe, expect, it } from 'vitest';
import { ValidationError, type FieldProblem } from '../../../lib/domain/errors.ts';
import { MAX_SUBJECT } from '../../../lib/domain/send-request.ts';
import {
  MAX_TEMPLATE_NAME,
  parseRenderRequest,
  parseTemplateInput,
  renderWithData,
  templateNameKey,
  templateSummaryView,
  templateView,
  type StoredTemplate,
} from '../../../lib/domain/stored-template.ts';
import type { TemplateData } from '../../../lib/domain/template-data.ts';
import { compileTemplates, TemplateError } from '../../../lib/domain/templates.ts';

const valid = { name: 'Receipt', subject: 'Order {{order.id}}', html: '<p>{{name}}</p>', text: 'Hi {{name}}' };

function problems(parse: () => unknown): FieldProblem[] {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return ((error as ValidationError).details as FieldProblem[] | undefined) ?? [];
  }
  throw new Error('accepted');
}

const render = (parts: { subject: string; html?: string; text?: string }, data: TemplateData, maxBytes = 256 * 1024) =>
  renderWithData(compileTemplates(parts), data, maxBytes);

/** The problem a render is refused with (fails the test when it renders). */
function renderProblem(parts: { subject: string; html?: string; text?: string }, data: TemplateData, maxBytes?: number) {
  try {
    render(parts, data, maxBytes);
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError);
    expect(error).toMatchObject({ status: 422, code: 'template_error' });
    return (error as TemplateError).problem;
  }
  throw new Error('rendered');
}

describe('parseTemplateInput', () => {
  it('takes a name, a subject and at least one body; the name is trimmed', () => {
    expect(parseTemplateInput({ ...valid, name: '  Receipt ' })).toEqual(valid);
    expect(parseTemplateInput({ name: 'T', subject: 's', text: 't' })).toEqual({ name: 'T', subject: 's', text: 't' });
  });

  it('names every problem: missing fields, a missing body, unknown fields', () => {
    expect(problems(() => parseTemplateInput({})).map((p) => p.field)).toEqual(['name', 'subject', 'text']);
    expect(problems(() => parseTemplateInput({ ...valid, html: undefined, text: undefined })).map((p) => p.field)).toEqual(['text']);
    expect(problems(() => parseTemplateInput({ ...valid, id: 'x', version: 3 }))).toEqual([
      { field: 'id, version', message: expect.stringMatching(/unknown/) },
    ]);
  });

  it('keeps the limits of campaigns: a subject of at most 998 characters without line breaks; names of at most 200', () => {
    expect(parseTemplateInput({ ...valid, subject: 's'.repeat(MAX_SUBJECT), name: 'n'.repeat(MAX_TEMPLATE_NAME) }).subject).toHaveLength(
      MAX_SUBJECT,
    );
    const fields = (body: object) => problems(() => parseTemplateInput({ ...valid, ...body })).map((p) => p.field);
    expect(fields({ subject: 's'.repeat(MAX_SUBJECT + 1) })).toEqual(['subject']);
    expect(fields({ subject: 'a\r\nBcc: x@example.com' })).toEqual(['subject']);
    expect(fields({ subject: '   ' })).toEqual(['subject']);
    expect(fields({ subject: JSON.parse('"\\ud800"') })).toEqual(['subject']);
    expect(fields({ name: 'n'.repeat(MAX_TEMPLATE_NAME + 1) })).toEqual(['name']);
    expect(fields({ name: 'a\nb' })).toEqual(['name']);
  });
});

describe('parseRenderRequest', () => {
  it('takes {"data": {...}}; no body or no data is no data', () => {
    expect(parseRenderRequest({ data: { name: 'Ann' } })).toEqual({ name: 'Ann' });
    expect(parseRenderRequest(undefined)).toEqual({});
    expect(parseRenderRequest({})).toEqual({});
  });

  it('checks the data by the rules of a send, and refuses other fields', () => {
    expect(problems(() => parseRenderRequest({ data: { items: [1] } })).map((p) => p.field)).toEqual(['data.items']);
    expect(problems(() => parseRenderRequest(JSON.parse('{"data": {"__proto__": {"x": 1}}}'))).map((p) => p.field)).toEqual([
      'data.__proto__',
    ]);
    expect(problems(() => parseRenderRequest({ data: {}, extra: 1 })).map((p) => p.field)).toEqual(['extra']);
    expect(problems(() => parseRenderRequest({ data: 'x' })).map((p) => p.field)).toEqual(['data']);
  });
});

describe('templateNameKey', () => {
  it('is the same for the same name in any case or Unicode form, with spaces around', () => {
    expect(templateNameKey(' Welcome Mail ')).toBe(templateNameKey('welcome mail'));
    expect(templateNameKey('Caf\u00e9')).toBe(templateNameKey('CAFE\u0301'));
    expect(templateNameKey('Welcome')).not.toBe(templateNameKey('Welcome 2'));
  });
});

describe('renderWithData', () => {
  it('escapes data in the html part only', () => {
    const hostile = '<script>alert("x")</script> & more';
    expect(render(valid, { name: hostile, order: { id: 7 } })).toEqual({
      subject: 'Order 7',
      html: '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more</p>',
      text: `Hi ${hostile}`,
    });
  });

  it('reads nested objects, renders an object itself and anything missing as empty, and nothing from prototypes', () => {
    const parts = {
      subject: 'Order {{order.id}}',
      text: '[{{order}}] [{{order.missing}}] [{{order.constructor}}] [{{constructor.name}}] [{{order.__proto__}}] {{#with order}}{{total}}{{/with}}',
    };
    expect(render(parts, { order: { id: 'A-1', total: 12.5 } }).text).toBe('[] [] [] [] [] 12.5');
  });

  it('leaves out a name the engine would call (toHTML), at any level', () => {
    expect(render({ subject: 's', html: '<p>{{order}}{{order.toHTML}}</p>' }, { order: { toHTML: 'x' } }).html).toBe('<p></p>');
  });

  it('does not render data as a template', () => {
    expect(render({ subject: 's', text: '{{a}}' }, { a: '{{b}}', b: 'no' }).text).toBe('{{b}}');
  });

  it('replaces line breaks from the data in the subject by spaces', () => {
    expect(render({ subject: 'Hi {{name}}', text: 't' }, { name: 'Ann\r\nBcc: x@example.com' }).subject).toBe('Hi Ann  Bcc: x@example.com');
  });

  it('refuses a subject that renders empty, naming the subject', () => {
    expect(renderProblem({ subject: '{{title}}', text: 't' }, {})).toEqual({ part: 'subject', message: expect.stringMatching(/empty/) });
    expect(renderProblem({ subject: '{{title}}', text: 't' }, { title: ' \n ' })).toMatchObject({ part: 'subject' });
  });

  it('refuses a subject whose data hides a line break in an encoded word', () => {
    expect(renderProblem({ subject: 'Hi {{name}}', text: 't' }, { name: '=?UTF-8?B?QQ0KQmNjOiB4QGV4YW1wbGUuY29t?=' })).toMatchObject({
      part: 'subject',
    });
  });

  it('refuses a message that renders larger than the limit, whatever the part', () => {
    const problem = renderProblem({ subject: 's', text: '{{a}}{{a}}{{a}}' }, { a: 'x'.repeat(400) }, 1000);
    expect(problem).toEqual({ message: 'renders larger than 1000 bytes with this data' });
    expect(render({ subject: 's', text: '{{a}}{{a}}' }, { a: 'x'.repeat(400) }, 1000).text).toHaveLength(800);
  });
});

describe('views', () => {
  const template: StoredTemplate = {
    id: '01JD0000000000000000000000',
    tenant: 'acme',
    name: 'Receipt',
    subject: 'Order',
    text: 'Hi',
    version: 3,
    createdAt: '2026-11-28T15:00:00.000Z',
    updatedAt: '2026-11-29T15:00:00.000Z',
  };

  it('shows both bodies, null when absent, and leaves them out of listings', () => {
    expect(templateView(template)).toEqual({
      id: template.id,
      name: 'Receipt',
      subject: 'Order',
      html: null,
      text: 'Hi',
      version: 3,
      created_at: template.createdAt,
      updated_at: template.updatedAt,
    });
    expect(templateSummaryView(template)).toEqual({
      id: template.id,
      name: 'Receipt',
      subject: 'Order',
      version: 3,
      created_at: template.createdAt,
      updated_at: template.updatedAt,
    });
  });
});
