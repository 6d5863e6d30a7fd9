/**
 * CR, LF, NUL and the other line breakers in every string that reaches a header: refused
 * with a 400 naming the field, also when hidden in an RFC 2047 encoded word that a mail
 * client would decode. Bodies (text, html) may hold them. Whatever is accepted composes into
 * MIME with exactly the headers asked for.
 */
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMessageStore } from '../../lib/adapters/dynamodb/message-store.ts';
import { composeMime } from '../../lib/adapters/mime/compose.ts';
import { parseSendRequest, type SendRequest } from '../../lib/domain/send-request.ts';
import { ValidationError } from '../../lib/domain/errors.ts';
import { apiEvent } from '../integration/api/events.ts';
import { problemFields } from '../integration/api/harness.ts';
import { expectWellFormed, hostileApi, runs, sendBody, type HostileApi } from './support.ts';

let h: HostileApi;
beforeAll(async () => {
  h = await hostileApi();
});
afterAll(() => h.api.close());

/** Each way to break a header line: raw characters, and encoded words that decode to them. */
const BREAKERS: [string, string][] = [
  ['CR', '\r'],
  ['LF', '\n'],
  ['CRLF', '\r\nBcc: evil@example.net'],
  ['NUL', '\u0000'],
  ['ESC', '\u001b'],
  ['DEL', '\u007f'],
  ['NEL (U+0085)', '\u0085'],
  ['LINE SEPARATOR (U+2028)', '\u2028'],
  ['PARAGRAPH SEPARATOR (U+2029)', '\u2029'],
  ['B-encoded CRLF', ' =?UTF-8?B?DQpCY2M6IGV2aWxAZXhhbXBsZS5uZXQ=?= '],
  ['Q-encoded CRLF', ' =?utf-8?Q?a=0D=0ABcc:_evil@example.net?= '],
  ['Q-encoded NUL in latin-1', ' =?ISO-8859-1?q?a=00b?= '],
];

/** Where a breaker goes in a send request, and the field the 400 must name. */
const FIELDS: [string, (bad: string) => Record<string, unknown>, string][] = [
  ['from display name', (bad) => ({ from: `Shop${bad} <orders@shop.example>` }), 'from'],
  ['from address', (bad) => ({ from: `orders${bad}@shop.example` }), 'from'],
  ['to', (bad) => ({ to: `Ann${bad} <ann@example.com>` }), 'to'],
  ['to[1]', (bad) => ({ to: ['ann@example.com', `bob${bad}@example.com`] }), 'to[1]'],
  ['cc', (bad) => ({ cc: [`Cy${bad} <cy@example.com>`] }), 'cc[0]'],
  ['bcc', (bad) => ({ bcc: `Di${bad} <di@example.com>` }), 'bcc'],
  ['reply_to', (bad) => ({ reply_to: `Help${bad} <help@shop.example>` }), 'reply_to'],
  ['subject', (bad) => ({ subject: `Order${bad}shipped` }), 'subject'],
  ['header value', (bad) => ({ headers: { 'X-Order': `42${bad}` } }), 'headers.X-Order'],
  ['header name', (bad) => ({ headers: { [`X-Order${bad}`]: '42' } }), 'headers.'],
  ['tag value', (bad) => ({ tags: { kind: `order${bad}` } }), 'tags.kind'],
  ['tag name', (bad) => ({ tags: { [`kind${bad}`]: 'order' } }), 'tags.'],
  ['metadata name', (bad) => ({ metadata: { [`ref${bad}`]: 'x' } }), 'metadata.'],
];

const post = (body: unknown) => apiEvent('POST', '/v1/messages', { key: h.keyA, body });

describe('a line breaker in a field that reaches a header', () => {
  const cases = FIELDS.flatMap(([where, place, field]) => BREAKERS.map(([name, bad]) => [where, name, place(bad), field] as const));

  it.each(cases)('in %s (%s) is a 400 naming the field', async (_where, _name, overrides, field) => {
    const event = post(sendBody(overrides));
    const answer = await h.api.invoke(event);
    expectWellFormed(h.api, event, answer);
    expect(answer.status, answer.text).toBe(400);
    const fields = problemFields(answer);
    expect(
      fields.some((f) => (field.endsWith('.') ? f.startsWith(field) : f === field)),
      `${field} in ${JSON.stringify(fields)}`,
    ).toBe(true);
  });

  it('in one message of a batch is that message’s 400, naming the field; the others are accepted', async () => {
    const event = apiEvent('POST', '/v1/messages/batch', {
      key: h.keyA,
      body: { messages: [sendBody(), sendBody({ subject: 'a\r\nBcc: evil@example.net' })] },
    });
    const answer = await h.api.invoke(event);
    expectWellFormed(h.api, event, answer);
    expect(answer.status).toBe(202);
    const [first, second] = answer.body.results;
    expect(first.status_code).toBe(202);
    expect(second.status_code).toBe(400);
    expect(second.error.details.map((p: { field: string }) => p.field)).toContain('subject');
  });

  it.each([
    ['list name', '/v1/lists', { name: 'News\r\nBcc: x' }, 'name'],
    ['list name (U+2028)', '/v1/lists', { name: 'News\u2028x' }, 'name'],
  ])('in a %s is a 400 naming the field', async (_what, path, body, field) => {
    const event = apiEvent('POST', path, { key: h.keyA, body });
    const answer = await h.api.invoke(event);
    expectWellFormed(h.api, event, answer);
    expect(answer.status).toBe(400);
    expect(problemFields(answer)).toContain(field);
  });

  it.each([
    ['CRLF', 'Ann\r\nBcc: x'],
    ['NUL', 'A\u0000'],
    ['U+2028', 'A\u2028B'],
    ['an encoded CRLF', '=?UTF-8?B?DQpCY2M6IGV2aWxAZXhhbXBsZS5uZXQ=?='],
  ])('in a contact attribute (%s) is a 400 naming the attribute', async (_name, value) => {
    const created = await h.api.call('POST', '/v1/lists', { key: h.keyA, body: { name: 'Attributes' } });
    expect(created.status).toBe(201);
    const event = apiEvent('POST', `/v1/lists/${created.body.id}/contacts`, {
      key: h.keyA,
      body: { email: 'ann@example.com', attributes: { first_name: value } },
    });
    const answer = await h.api.invoke(event);
    expectWellFormed(h.api, event, answer);
    expect(answer.status).toBe(400);
    expect(problemFields(answer)).toContain('attributes.first_name');
  });
});

describe('a custom header with nothing in it', () => {
  // A header with an empty value is left out of the composed message: say so rather than drop it.
  it.each(['', '   ', '\t'])('(%j) is a 400 naming the header', async (value) => {
    const event = post(sendBody({ headers: { 'X-Empty': value } }));
    const answer = await h.api.invoke(event);
    expectWellFormed(h.api, event, answer);
    expect(answer.status).toBe(400);
    expect(problemFields(answer)).toEqual(['headers.X-Empty']);
  });
});

describe('line breaks in the bodies', () => {
  it('are kept: text and html may hold CR, LF, NUL and U+2028', async () => {
    const text = 'line one\r\nline two\nBcc: not-a-header@example.net\u0000\u2028end';
    const answer = await h.api.call('POST', '/v1/messages', { key: h.keyA, body: sendBody({ text, html: `<p>${text}</p>` }) });
    expect(answer.status, answer.text).toBe(202);
    const stored = await new DynamoMessageStore(h.api.dynamo, h.api.tables.messages).get(answer.body.id);
    expect(stored?.message.content.text).toBe(text);
    expect(stored?.recipients.map((r) => r.email)).toEqual(['ann@example.com']);
  });
});

/**
 * The headers a composed message carries: mailroom's own, the address fields used, the
 * caller's (Content-Transfer-Encoding, there for a single part only, is left aside).
 */
function expectedHeaders(request: SendRequest): string[] {
  const { content } = request;
  const names = ['from', 'to', 'subject', 'date', 'message-id', 'mime-version', 'content-type', 'x-mailroom-id'];
  if (content.cc.length) names.push('cc');
  if (content.replyTo.length) names.push('reply-to');
  names.push(...Object.keys(content.headers).map((n) => n.toLowerCase()));
  return [...new Set(names)].sort();
}

/** Display names and subjects with everything that needs quoting or encoding, line breakers included. */
const tricky = fc.string({
  unit: fc.oneof(
    { weight: 30, arbitrary: fc.constantFrom(...'Ab zé,."\\<>@;:()!#-\'ü=?_/[]', '=?UTF-8?B?SGk=?=', '😀', 'Bcc: x@example.net') },
    { weight: 1, arbitrary: fc.constantFrom('=?utf-8?q?a=0D=0A?=', '\r\n', '\u0000', '\u2028') },
  ),
  maxLength: 12,
});
const local = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom('ann', 'b.o+b', '"a,b"', '"a b"', '"a@b"', "o'hara") },
  { weight: 1, arbitrary: fc.constantFrom('"x<y>"', '"q\\"t"') },
);
const domain = fc.constantFrom('example.com', 'bücher.example', 'EXAMPLE.org', 'sub.example.net');
const mailbox = fc
  .tuple(fc.option(tricky, { nil: undefined }), local, domain)
  .map(([name, l, d]) => (name === undefined ? `${l}@${d}` : `"${name.replace(/(["\\])/g, '\\$1')}" <${l}@${d}>`));
const generatedSend = fc.record(
  {
    from: mailbox,
    to: fc.array(mailbox, { minLength: 1, maxLength: 3 }),
    cc: fc.array(mailbox, { maxLength: 2 }),
    reply_to: fc.array(mailbox, { maxLength: 1 }),
    subject: tricky.map((s) => `S ${s}`),
    text: fc.string({ maxLength: 20 }),
    html: fc.string({ maxLength: 20 }),
    headers: fc.dictionary(fc.constantFrom('X-One', 'X-Two', 'Keywords', 'X-Bcc', 'Bcc2'), tricky, { maxKeys: 3 }),
  },
  { requiredKeys: ['from', 'to', 'subject'] },
);

const strip = (address: string) => address.toLowerCase();
const LINE_BREAKER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const squash = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

/** A header value with its encoded words decoded, as mailparser decodes a subject (it leaves unknown headers as they are). */
async function decodedHeader(value: string): Promise<string | undefined> {
  return (await simpleParser(`Subject: ${value}\r\n\r\n`)).subject;
}

describe('what is accepted composes without an extra header', () => {
  it('has exactly the requested headers, addresses and subject after composing and parsing', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(generatedSend, async (body) => {
        let request: SendRequest;
        try {
          request = parseSendRequest({ text: 'x', ...body });
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          return;
        }
        accepted += 1;
        const raw = await composeMime({
          id: '01JD0000000000000000000000',
          tenant: 'tenant-a',
          messageIdHeader: '<01jd@shop.example>',
          date: new Date('2026-11-28T10:00:00Z'),
          envelope: { from: request.envelopeFrom, to: request.recipients.map((r) => r.email) },
          content: request.content,
          tags: {},
        });
        const parsed = await simpleParser(raw);
        expect([...parsed.headers.keys()].filter((n) => n !== 'content-transfer-encoding').sort()).toEqual(expectedHeaders(request));
        // White space may be folded or trimmed, and an encoded word given in the request is
        // shown decoded; the text must be what was asked, and show no line breaker.
        const asked = [squash(request.content.subject), squash(await decodedHeader(request.content.subject))];
        expect(asked).toContain(squash(parsed.subject));
        expect(parsed.subject).not.toMatch(LINE_BREAKER);
        const to = [parsed.to]
          .flat()
          .flatMap((a) => a?.value ?? [])
          .map((a) => a.address ?? '');
        // Each To address comes out whole (a comma inside a quoted local part splits nothing).
        expect(to.length).toBe(request.content.to.length);
        expect(parsed.from?.value.length).toBe(1);
        for (const a of [parsed.from, parsed.to, parsed.cc, parsed.replyTo].flat().flatMap((x) => x?.value ?? []))
          expect(a.name).not.toMatch(LINE_BREAKER);
        for (const [name, value] of Object.entries(request.content.headers)) {
          const shown = await decodedHeader(String(parsed.headers.get(name.toLowerCase())));
          expect([squash(value), squash(await decodedHeader(value))]).toContain(squash(shown));
          expect(shown).not.toMatch(LINE_BREAKER);
        }
        expect(new Set(request.recipients.map((r) => strip(r.email))).size).toBe(request.recipients.length);
      }),
      { numRuns: runs(400) },
    );
    expect(accepted).toBeGreaterThan(50);
  });
});
