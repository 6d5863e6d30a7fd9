import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError, type FieldProblem } from '../../../lib/domain/errors.ts';
import {
  isTemplateSend,
  MAX_BODY_BYTES,
  MAX_RECIPIENTS,
  MAX_SUBJECT,
  parseSendInput,
  parseSendRequest,
} from '../../../lib/domain/send-request.ts';

const valid = { from: 'Sender <sender@example.com>', to: 'rcpt@example.com', subject: 'Hello', text: 'Hi there' };

/** The problems a body is refused with (fails the test when it is accepted or throws anything else). */
function problems(body: unknown): FieldProblem[] {
  try {
    parseSendRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const validation = error as ValidationError;
    expect(validation.status).toBe(400);
    expect(validation.code).toBe('invalid_request');
    return (validation.details as FieldProblem[] | undefined) ?? [];
  }
  throw new Error(`accepted: ${JSON.stringify(body)}`);
}

function fields(body: unknown): string[] {
  return problems(body).map((p) => p.field);
}

describe('parseSendRequest: accepted requests', () => {
  it('normalises addresses and keeps the content', () => {
    const request = parseSendRequest({
      ...valid,
      from: '"Shop, Inc." <Orders@Shop.EXAMPLE>',
      to: ['Ann <ann@Example.com>', 'bob@bücher.example'],
      cc: 'carol@example.com',
      bcc: ['dave@example.com'],
      reply_to: 'help@shop.example',
      html: '<p>Hi</p>',
      headers: { 'X-Campaign': 'spring\tsale' },
      tags: { campaign: 'spring' },
      metadata: { order: 42, gift: true, note: null, ref: 'A-1' },
    });
    expect(request.envelopeFrom).toBe('Orders@shop.example');
    expect(request.content).toEqual({
      from: '"Shop, Inc." <Orders@shop.example>',
      to: ['Ann <ann@example.com>', 'bob@xn--bcher-kva.example'],
      cc: ['carol@example.com'],
      bcc: ['dave@example.com'],
      replyTo: ['help@shop.example'],
      subject: 'Hello',
      text: 'Hi there',
      html: '<p>Hi</p>',
      headers: { 'X-Campaign': 'spring\tsale' },
    });
    expect(request.recipients).toEqual([
      { email: 'ann@example.com', kind: 'to' },
      { email: 'bob@xn--bcher-kva.example', kind: 'to' },
      { email: 'carol@example.com', kind: 'cc' },
      { email: 'dave@example.com', kind: 'bcc' },
    ]);
    expect(request.tags).toEqual({ campaign: 'spring' });
    expect(request.metadata).toEqual({ order: 42, gift: true, note: null, ref: 'A-1' });
  });

  it('takes html alone as the body', () => {
    const { text: _text, ...rest } = valid;
    expect(parseSendRequest({ ...rest, html: '<b>x</b>' }).content.html).toBe('<b>x</b>');
  });

  it('lists each envelope recipient once, to before cc before bcc; the domain compares case-insensitively, the local part does not', () => {
    const request = parseSendRequest({
      ...valid,
      to: ['a@example.com', 'a@EXAMPLE.com'],
      cc: ['A@example.com', 'a@example.com'],
      bcc: 'a@Example.Com',
    });
    expect(request.recipients).toEqual([
      { email: 'a@example.com', kind: 'to' },
      { email: 'A@example.com', kind: 'cc' },
    ]);
  });

  it(`accepts ${MAX_RECIPIENTS} recipients and a subject of ${MAX_SUBJECT} characters`, () => {
    const to = Array.from({ length: MAX_RECIPIENTS }, (_, i) => `r${i}@example.com`);
    expect(parseSendRequest({ ...valid, to, subject: 's'.repeat(MAX_SUBJECT) }).recipients).toHaveLength(MAX_RECIPIENTS);
  });
});

describe('parseSendRequest: refused requests name the offending field', () => {
  it.each([
    ['from', { ...valid, from: 'not an address' }],
    ['from', { ...valid, from: 'user@localhost' }],
    ['to', { ...valid, to: 'a@b' }],
    ['to[1]', { ...valid, to: ['ok@example.com', 'two@@example.com'] }],
    ['cc[0]', { ...valid, cc: ['bad address@example.com'] }],
    ['bcc', { ...valid, bcc: 'trailing@example.com.' }],
    ['reply_to', { ...valid, reply_to: 'nope' }],
    ['to', { ...valid, to: [] }],
    ['to', { ...valid, to: 42 }],
    ['subject', { ...valid, subject: '   ' }],
    ['subject', { ...valid, subject: 's'.repeat(MAX_SUBJECT + 1) }],
    ['text', { from: valid.from, to: valid.to, subject: 's' }],
    ['text', { ...valid, text: 5 }],
    ['headers.Bcc', { ...valid, headers: { Bcc: 'spy@example.com' } }],
    ['headers.message-id', { ...valid, headers: { 'message-id': '<x@y>' } }],
    ['headers.List-Unsubscribe', { ...valid, headers: { 'List-Unsubscribe': '<mailto:x@y.com>' } }],
    ['headers.X Bad', { ...valid, headers: { 'X Bad': 'v' } }],
    ['headers.X:Bad', { ...valid, headers: { 'X:Bad': 'v' } }],
    ['headers.X-Num', { ...valid, headers: { 'X-Num': 5 } }],
    ['tags.bad key', { ...valid, tags: { 'bad key': 'v' } }],
    ['tags.n', { ...valid, tags: { n: 1 } }],
    ['metadata.nested', { ...valid, metadata: { nested: { a: 1 } } }],
    ['from', { to: valid.to, subject: 's', text: 't' }],
  ])('%s', (field, body) => {
    expect(fields(body)).toContain(field);
  });

  it('refuses metadata the message store cannot keep: empty keys and numbers out of DynamoDB range', () => {
    expect(fields({ ...valid, metadata: { '': 1 } })).toEqual(['metadata.']);
    expect(fields({ ...valid, metadata: { big: 1e200 } })).toEqual(['metadata.big']);
    expect(fields({ ...valid, metadata: { tiny: -1e-131 } })).toEqual(['metadata.tiny']);
    expect(fields({ ...valid, metadata: { id: Number.MAX_SAFE_INTEGER + 1 } })).toEqual(['metadata.id']);
    const kept = { id: Number.MAX_SAFE_INTEGER, min: Number.MIN_SAFE_INTEGER, zero: 0, half: 0.5, small: 1e-130 };
    expect(parseSendRequest({ ...valid, metadata: kept }).metadata).toEqual(kept);
  });

  it('names unknown fields', () => {
    expect(problems({ ...valid, attachment: [], priority: 'high' })).toEqual([
      { field: 'attachment, priority', message: 'unknown field(s): attachment, priority' },
    ]);
  });

  it('reads attachments, decoded, and names a bad one by its index beside the other problems', () => {
    const request = parseSendRequest({ ...valid, attachments: [{ filename: 'a.txt', content: 'aGk=' }] });
    expect(request.attachments).toEqual([{ source: 'content', filename: 'a.txt', content: Buffer.from('hi'), disposition: 'attachment' }]);
    expect(parseSendRequest({ ...valid, attachments: [] }).attachments).toBeUndefined();
    expect(problems({ ...valid, to: 'nobody', attachments: [{ filename: 'a.txt', content: 'aGk' }] })).toEqual([
      { field: 'to', message: expect.any(String) },
      { field: 'attachments[0].content', message: expect.stringMatching(/not valid base64/) },
    ]);
    expect(fields({ ...valid, attachments: [{ filename: 'a.txt', content: 42 }] })).toEqual(['attachments[0].content']);
    expect(fields({ ...valid, attachments: { filename: 'a.txt' } })).toEqual(['attachments']);
  });

  it(`refuses text and html of more than ${MAX_BODY_BYTES} bytes together`, () => {
    const half = 'é'.repeat(MAX_BODY_BYTES / 4);
    expect(parseSendRequest({ ...valid, text: half, html: half }).content.text).toBe(half);
    expect(problems({ ...valid, text: half, html: `${half}x` })).toEqual([{ field: 'html', message: expect.stringMatching(/attachment/) }]);
    expect(fields({ ...valid, text: 'x'.repeat(MAX_BODY_BYTES + 1) })).toEqual(['text']);
  });

  it(`refuses more than ${MAX_RECIPIENTS} recipients in one field or all together`, () => {
    const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}@example.com`);
    expect(fields({ ...valid, to: many(MAX_RECIPIENTS + 1, 't') })).toContain('to');
    expect(fields({ ...valid, to: many(30, 't'), cc: many(21, 'c') })).toContain('to');
  });

  it('refuses more than 50 headers, 20 tags or 50 metadata keys', () => {
    const map = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`X-K${i}`, 'v']));
    expect(fields({ ...valid, headers: map(51) })).toContain('headers');
    expect(fields({ ...valid, tags: map(21) })).toContain('tags');
    expect(fields({ ...valid, metadata: map(51) })).toContain('metadata');
  });

  it('reports every problem at once', () => {
    expect(fields({ ...valid, from: 'x', to: ['y'], headers: { Subject: 'z' } })).toEqual(['from', 'to[0]', 'headers.Subject']);
  });

  it.each([null, undefined, 'text', 42, [], [valid], true])('refuses a body that is not an object: %j', (body) => {
    expect(fields(body)).toEqual(['(body)']);
  });
});

describe('parseSendInput: a stored template instead of subject and body', () => {
  const { subject: _subject, text: _text, ...envelope } = valid;
  const templated = { ...envelope, template: { id: '01JD0000000000000000000000', data: { name: 'Ann', order: { id: 7 } } } };
  /** The problems of a body parsed as a send that may name a template. */
  const inputFields = (body: unknown) => {
    try {
      parseSendInput(body);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      return ((error as ValidationError).details as FieldProblem[]).map((p) => p.field);
    }
    throw new Error(`accepted: ${JSON.stringify(body)}`);
  };

  it('keeps the envelope and names the template and its data, with no content yet', () => {
    const request = parseSendInput({ ...templated, tags: { kind: 'receipt' }, tracking: { clicks: true } });
    expect(isTemplateSend(request)).toBe(true);
    expect(request).toMatchObject({
      templateRef: templated.template,
      envelopeFrom: 'sender@example.com',
      recipients: [{ email: 'rcpt@example.com', kind: 'to' }],
      tags: { kind: 'receipt' },
      tracking: { opens: false, clicks: true },
    });
    expect(request.content).not.toHaveProperty('subject');
    expect(parseSendInput({ ...templated, template: { id: 'x' } })).toMatchObject({ templateRef: { id: 'x', data: {} } });
  });

  it('is not a template send without one', () => {
    expect(isTemplateSend(parseSendInput(valid))).toBe(false);
  });

  it('refuses a subject, html or text beside the template, naming each', () => {
    expect(inputFields({ ...templated, subject: 's', html: '<p>h</p>', text: 't' })).toEqual(['subject', 'html', 'text']);
  });

  it('still needs subject and body without a template', () => {
    expect(inputFields(envelope)).toEqual(['subject', 'text']);
  });

  it('checks the template reference and its data, naming the data by path', () => {
    expect(inputFields({ ...templated, template: { data: {} } })).toEqual(['template.id']);
    expect(inputFields({ ...templated, template: { id: 'x', other: 1 } })).toEqual(['template']);
    expect(inputFields({ ...templated, template: { id: 'x', data: { items: [1], 'bad-name': 1 } } })).toEqual([
      'template.data.items',
      'template.data.bad-name',
    ]);
    expect(inputFields(JSON.parse(JSON.stringify(templated).replace('"name"', '"__proto__"')))).toEqual(['template.data.__proto__']);
  });

  it('hands on the data as the body has it', () => {
    const body = JSON.parse(JSON.stringify(templated));
    const request = parseSendInput(body);
    expect(isTemplateSend(request) && request.templateRef.data).toBe(body.template.data);
  });

  it('is refused by parseSendRequest, which wants the content', () => {
    expect(fields(templated)).toEqual(['template']);
  });
});

describe('parseSendRequest: header injection', () => {
  const control = fc.constantFrom('\r', '\n', '\r\n', '\u0000');
  const text = fc.string({ maxLength: 20 });
  /** A printable string with a CR, LF or NUL somewhere in it. */
  const injected = fc.tuple(text, control, text).map(([a, c, b]) => `${a}${c}${b}`);

  const places: [string, (value: string) => Record<string, unknown>][] = [
    ['subject', (v) => ({ ...valid, subject: `Hi ${v}` })],
    ['headers.X-Custom', (v) => ({ ...valid, headers: { 'X-Custom': v } })],
    ['tags.campaign', (v) => ({ ...valid, tags: { campaign: v } })],
    ['from', (v) => ({ ...valid, from: `"${v.replace(/(["\\])/g, '\\$1')}" <sender@example.com>` })],
    ['from', (v) => ({ ...valid, from: `${v.replace(/[<>"]/g, '')} <sender@example.com>` })],
    ['to[1]', (v) => ({ ...valid, to: ['ok@example.com', `"${v.replace(/(["\\])/g, '\\$1')}" <rcpt@example.com>`] })],
    ['cc', (v) => ({ ...valid, cc: `${v.replace(/[<>"]/g, '')} <rcpt@example.com>` })],
    ['reply_to[0]', (v) => ({ ...valid, reply_to: [`"${v.replace(/(["\\])/g, '\\$1')}" <help@example.com>`] })],
  ];

  it.each(places)('refuses CR, LF or NUL in %s', (field, build) => {
    fc.assert(
      fc.property(injected, (value) => {
        expect(fields(build(value))).toContain(field);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses CR or LF in a header name', () => {
    expect(fields({ ...valid, headers: { 'X-A\r\nBcc': 'spy@example.com' } })).toContain('headers.X-A\r\nBcc');
  });

  it('lets a TAB through in subject, header values and tags (folding whitespace, not a line break)', () => {
    expect(parseSendRequest({ ...valid, subject: 'a\tb', headers: { 'X-A': 'a\tb' }, tags: { t: 'a\tb' } }).content.subject).toBe('a\tb');
  });
});

describe('parseSendRequest: arbitrary input', () => {
  const keys = fc.constantFrom(
    'from',
    'to',
    'cc',
    'bcc',
    'reply_to',
    'subject',
    'text',
    'html',
    'headers',
    'tags',
    'metadata',
    '__proto__',
    'constructor',
    'x',
  );
  const addressish = fc.oneof(fc.string(), fc.constantFrom('a@example.com', 'Bob <b@example.com>', '"x, y" <c@example.com>', 'bad', ''));
  const value = fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 2, arbitrary: addressish },
    { weight: 1, arbitrary: fc.array(addressish, { maxLength: 4 }) },
    {
      weight: 1,
      arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null))),
    },
  );
  const nearlyValid = fc.dictionary(keys, value, { maxKeys: 8 }).map((extra) => ({ ...valid, ...extra }));

  it('never throws anything but ValidationError, and every problem names a field', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), nearlyValid, fc.dictionary(keys, value)), (body) => {
        // Bodies arrive through JSON.parse, so `__proto__` is an own key as it would be there.
        const parsed: unknown = JSON.parse(JSON.stringify(body) ?? 'null');
        try {
          const request = parseSendRequest(parsed);
          expect(request.recipients.length).toBeGreaterThan(0);
          for (const header of Object.values(request.content.headers)) expect(header).not.toMatch(/[\r\n\0]/);
          expect(request.content.subject).not.toMatch(/[\r\n\0]/);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          const details = (error as ValidationError).details as FieldProblem[];
          expect(details.length).toBeGreaterThan(0);
          for (const problem of details) {
            expect(typeof problem.field).toBe('string');
            // A field is named, except an unknown key that is itself the empty string.
            if (!problem.message.startsWith('unknown field')) expect(problem.field.length).toBeGreaterThan(0);
            expect(typeof problem.message).toBe('string');
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parseSendRequest: send_at', () => {
  it('is absent unless given, and read as an instant when it is', () => {
    expect(parseSendRequest(valid).sendAt).toBeUndefined();
    expect(parseSendRequest({ ...valid, send_at: '2026-12-24T10:00:00+01:00' }).sendAt).toBe(Date.parse('2026-12-24T09:00:00Z'));
  });

  it('refuses anything but an RFC 3339 date and time with an offset, naming send_at', () => {
    for (const sendAt of ['2026-12-24', '2026-12-24T09:00:00', 'next friday', '2026-02-30T09:00:00Z']) {
      expect(problems({ ...valid, send_at: sendAt })).toEqual([
        { field: 'send_at', message: 'must be an RFC 3339 date and time with a time offset, such as 2026-12-24T09:00:00Z' },
      ]);
    }
    expect(problems({ ...valid, send_at: 1796544000 })).toEqual([{ field: 'send_at', message: 'must be a string, not a number' }]);
  });

  it('is reported beside the other problems of the message', () => {
    expect(fields({ ...valid, to: 'nobody', send_at: 'soon' }).sort()).toEqual(['send_at', 'to']);
  });
});
