/**
 * Address tricks through the API: quoted local parts with commas and spaces are one recipient
 * (never split in two), IDN domains reach the envelope as punycode, UTF-8 local parts are
 * refused clearly (no SMTPUTF8), display names with encoded words, commas, quotes and angle
 * brackets keep to one mailbox, and malformed addresses are 400s naming the field.
 */
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMessageStore } from '../../lib/adapters/dynamodb/message-store.ts';
import { composeMime } from '../../lib/adapters/mime/compose.ts';
import { normalizeAddress } from '../../lib/domain/address.ts';
import { apiEvent } from '../integration/api/events.ts';
import { problemFields } from '../integration/api/harness.ts';
import { expectWellFormed, hostileApi, runs, sendBody, type Answer, type HostileApi } from './support.ts';

let h: HostileApi;
let messages: DynamoMessageStore;
beforeAll(async () => {
  h = await hostileApi();
  messages = new DynamoMessageStore(h.api.dynamo, h.api.tables.messages);
});
afterAll(() => h.api.close());

// The transport the SMTP relay builds on, writing to memory: what it makes of an envelope.
const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });

async function send(overrides: Record<string, unknown>): Promise<Answer> {
  const event = apiEvent('POST', '/v1/messages', { key: h.keyA, body: sendBody(overrides) });
  const answer = await h.api.invoke(event);
  expectWellFormed(h.api, event, answer);
  return answer;
}

/** The envelope recipients and the To addresses of an accepted message, as the relay would send it. */
async function delivered(id: string): Promise<{ envelope: string[]; to: string[] }> {
  const stored = await messages.get(id);
  if (!stored) throw new Error(`message ${id} not stored`);
  const { message, recipients } = stored;
  const raw = await composeMime({
    id: message.id,
    tenant: message.tenant,
    messageIdHeader: message.messageIdHeader,
    date: new Date(message.createdAt),
    envelope: { from: message.envelopeFrom, to: recipients.map((r) => r.email) },
    content: message.content,
    tags: message.tags,
  });
  const info = await transport.sendMail({ envelope: { from: message.envelopeFrom, to: recipients.map((r) => r.email) }, raw });
  // mailroom's recipient records are the envelope: one record per RCPT TO, spelled alike.
  expect(recipients.map((r) => r.email)).toEqual(info.envelope.to);
  const parsed = await simpleParser(raw);
  return {
    envelope: info.envelope.to,
    to: [parsed.to]
      .flat()
      .flatMap((a) => a?.value ?? [])
      .map((a) => a.address ?? ''),
  };
}

describe('one address stays one recipient', () => {
  it.each([
    ['"a,b"@example.com', '"a,b"@example.com'],
    ['"a b"@example.com', '"a b"@example.com'],
    ['"a,b c"@example.com', '"a,b c"@example.com'],
    ['"x@y.example, z"@example.com', '"x@y.example, z"@example.com'],
    ['Ann <"a,b"@example.com>', '"a,b"@example.com'],
    ['"Smith, Ann" <ann@example.com>', 'ann@example.com'],
    ['"<evil@example.net>, x" <ann@example.com>', 'ann@example.com'],
    ['Ann (comment) <ann@example.com>', 'ann@example.com'],
    ['=?UTF-8?B?QW5uLCBCb2I=?= <ann@example.com>', 'ann@example.com'],
    ['"=?UTF-8?Q?evil=40example.net?=" <ann@example.com>', 'ann@example.com'],
  ])('%s is accepted with the one envelope recipient %s', async (to, email) => {
    const answer = await send({ to });
    expect(answer.status, answer.text).toBe(202);
    const { envelope, to: header } = await delivered(answer.body.id);
    expect(envelope).toEqual([email]);
    expect(header).toEqual([email]);
  });

  it('keeps a list with a quoted comma to exactly its entries', async () => {
    const answer = await send({ to: ['"a,b"@example.com', 'c@example.com'], cc: '"d, e" <d@example.com>', bcc: ['"f,g"@example.com'] });
    expect(answer.status, answer.text).toBe(202);
    const { envelope, to } = await delivered(answer.body.id);
    expect(envelope).toEqual(['"a,b"@example.com', 'c@example.com', 'd@example.com', '"f,g"@example.com']);
    expect(to).toEqual(['"a,b"@example.com', 'c@example.com']);
  });

  it('turns an IDN domain into punycode in the envelope', async () => {
    const answer = await send({ to: 'user@bücher.example', from: 'Shop <orders@BÜCHER.example>' });
    expect(answer.status, answer.text).toBe(202);
    const { envelope } = await delivered(answer.body.id);
    expect(envelope).toEqual(['user@xn--bcher-kva.example']);
    expect((await messages.get(answer.body.id))?.message.envelopeFrom).toBe('orders@xn--bcher-kva.example');
  });
});

describe('needless quotes', () => {
  // `"ann"@example.com` is the mailbox ann@example.com (RFC 5321 §4.1.2): written either way it
  // must be one recipient and meet the same suppression.
  it('make no second recipient', async () => {
    const answer = await send({ to: ['ann@example.com', '"ann"@example.com', '"a\\nn"@example.com'] });
    expect(answer.status, answer.text).toBe(202);
    expect((await delivered(answer.body.id)).envelope).toEqual(['ann@example.com']);
  });

  it('do not get past the suppression list', async () => {
    expect((await h.api.call('PUT', '/v1/suppressions/carl%40example.com', { key: h.keyA })).status).toBe(200);
    const answer = await send({ to: '"carl"@example.com' });
    expect(answer.status, answer.text).toBe(422);
    expect(answer.body.error.details?.rejected ?? answer.body.error.details).toBeDefined();
  });
});

describe('an address mailroom cannot send to', () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a UTF-8 local part', { to: 'üser@example.com' }, 'to', /SMTPUTF8/],
    ['a UTF-8 local part in from', { from: 'Zoë <zoë@shop.example>' }, 'from', /SMTPUTF8/],
    ['a UTF-8 quoted local part', { cc: ['"zoë"@example.com'] }, 'cc[0]', /SMTPUTF8/],
    ['a UTF-8 local part in reply_to', { reply_to: 'José@example.com' }, 'reply_to', /SMTPUTF8/],
    ['a quoted local part with an angle bracket', { to: '"a<b"@example.com' }, 'to', /same mailbox/],
    ['a quoted local part with a space at the start', { to: ['ann@example.com', '" a"@example.com'] }, 'to[1]', /same mailbox/],
    ['a quoted local part with an escaped quote', { bcc: '"a\\"b"@example.com' }, 'bcc', /same mailbox/],
    ['two addresses in one string', { to: 'ann@example.com, bob@example.com' }, 'to', /not a valid email address/],
    ['two mailboxes in one string', { to: 'Ann <ann@example.com>, Bob <bob@example.com>' }, 'to', /not a valid email address/],
    ['a trailing comment', { to: 'ann@example.com (Ann)' }, 'to', /not a valid email address/],
    ['two @', { to: 'a@b@example.com' }, 'to', /not a valid email address/],
    ['a trailing dot in the domain', { to: 'ann@example.com.' }, 'to', /not a valid email address/],
    ['a trailing dot in the local part', { to: 'ann.@example.com' }, 'to', /not a valid email address/],
    ['two dots in a row', { to: 'a..b@example.com' }, 'to', /not a valid email address/],
    ['a local part over 64 characters', { to: `${'a'.repeat(65)}@example.com` }, 'to', /not a valid email address/],
    ['a domain over 253 characters', { to: `a@${`${'b'.repeat(60)}.`.repeat(4)}example.com` }, 'to', /not a valid email address/],
    ['a label over 63 characters', { to: `a@${'b'.repeat(64)}.example.com` }, 'to', /not a valid email address/],
    ['a domain without a dot', { to: 'ann@localhost' }, 'to', /not a valid email address/],
    ['an IP literal', { to: 'ann@[192.0.2.1]' }, 'to', /not a valid email address/],
    ['a quote left open', { to: '"ann@example.com' }, 'to', /not a valid email address/],
    ['angle brackets left open', { to: 'Ann <ann@example.com' }, 'to', /not a valid email address/],
    ['text after the angle brackets', { from: 'Shop <orders@shop.example> <evil@example.net>' }, 'from', /email address/],
    [
      'an encoded word hiding a line break',
      { from: '=?UTF-8?Q?Shop=0D=0ABcc:_evil@example.net?= <orders@shop.example>' },
      'from',
      /line breaks/,
    ],
    ['an empty string', { to: '' }, 'to', /not a valid email address/],
    ['an empty list', { to: [] }, 'to', /at least one/],
  ])('(%s) is a 400 naming the field', async (_what, overrides, field, message) => {
    const answer = await send(overrides);
    expect(answer.status, answer.text).toBe(400);
    expect(problemFields(answer)).toContain(field);
    const problem = (answer.body.error.details as { field: string; message: string }[]).find((p) => p.field === field);
    expect(problem?.message).toMatch(message);
  });

  it('accepts the longest local part (64) and the longest domain (253)', async () => {
    const domain = `${`${'b'.repeat(62)}.`.repeat(3)}${'c'.repeat(60)}.com`;
    expect(domain.length).toBe(253);
    const answer = await send({ to: [`${'a'.repeat(64)}@example.com`, `a@${domain}`] });
    expect(answer.status, answer.text).toBe(202);
    expect((await delivered(answer.body.id)).envelope).toHaveLength(2);
  });
});

describe('generated quoted local parts', () => {
  /** Local parts in quotes with commas, spaces, `@`, angle brackets, escaped quotes and backslashes. */
  const quoted = fc
    .string({
      unit: fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom(...'ab ,@;:()[].') },
        { weight: 1, arbitrary: fc.constantFrom('<', '>', '\\"', '\\\\') },
      ),
      minLength: 1,
      maxLength: 20,
    })
    .map((s) => `"${s}"`);
  const name = fc.option(fc.string({ unit: fc.constantFrom(...'Ab ,"<>@;:'), maxLength: 10 }), { nil: undefined });

  it('are one recipient each or a 400 naming the field: never split, never merged', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(quoted, name), { minLength: 1, maxLength: 3 }), async (entries) => {
        const to = entries.map(([local, n]) =>
          n === undefined ? `${local}@example.com` : `"${n.replace(/(["\\])/g, '\\$1')}" <${local}@example.com>`,
        );
        const answer = await send({ to });
        if (answer.status === 400) {
          expect(
            problemFields(answer).every((f) => /^to\[\d+\]$/.test(f)),
            answer.text,
          ).toBe(true);
          return;
        }
        expect(answer.status, answer.text).toBe(202);
        accepted += 1;
        // Needless quotes and escapes go (`"a"` is `a`); the mailbox stays whole.
        const unique = [...new Set(entries.map(([local]) => normalizeAddress(`${local}@example.com`)))];
        const { envelope, to: header } = await delivered(answer.body.id);
        expect(envelope).toEqual(unique);
        expect(header).toHaveLength(entries.length);
      }),
      // About a third of generated lists are valid: 100 runs keep more than 15 accepted (3.8
      // standard deviations above), where 60 runs fell short about one run in eleven.
      { numRuns: runs(100) },
    );
    expect(accepted).toBeGreaterThan(15);
  });
});
