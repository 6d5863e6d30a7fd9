/**
 * Valid send requests mutated by fast-check: wrong types, missing and extra fields, huge
 * strings, arrays for objects, numbers out of range, line breakers in header fields. Each
 * mutation is a 400 naming the mutated field; the unmutated requests mixed in are accepted.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReservedName } from '../../lib/domain/reserved-names.ts';
import { apiEvent } from '../integration/api/events.ts';
import { problemFields } from '../integration/api/harness.ts';
import { expectWellFormed, hostileApi, injected, runs, type HostileApi } from './support.ts';

let h: HostileApi;
beforeAll(async () => {
  h = await hostileApi();
});
afterAll(() => h.api.close());

const local = fc.stringMatching(/^[a-z0-9]{1,8}(?:[._+-][a-z0-9]{1,6})?$/);
const domain = fc.tuple(fc.stringMatching(/^[a-z0-9]{1,10}$/), fc.constantFrom('example', 'example.com', 'test', 'bücher.example'));
const address = fc.tuple(local, domain).map(([l, [d, tld]]) => `${l}@${d}.${tld}`);
const name = fc.stringMatching(/^[A-Za-zé ,.'"-]{1,20}$/).map((n) => `"${n.replace(/(["\\])/g, '\\$1')}"`);
const mailbox = fc.oneof(
  address,
  fc.tuple(name, address).map(([n, a]) => `${n} <${a}>`),
);

/** A send request that mailroom must accept. */
const validSend = fc.record(
  {
    from: mailbox,
    to: fc.oneof(mailbox, fc.array(mailbox, { minLength: 1, maxLength: 3 })),
    cc: fc.array(mailbox, { maxLength: 2 }),
    bcc: fc.array(address, { maxLength: 2 }),
    reply_to: mailbox,
    subject: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0),
    text: fc.string({ maxLength: 60 }),
    html: fc.string({ maxLength: 60 }),
    headers: fc.dictionary(
      fc.stringMatching(/^X-[A-Za-z0-9-]{1,10}$/),
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }).filter((s) => s.trim().length > 0),
      { maxKeys: 3 },
    ),
    // Valid names only: `__proto__` and `prototype` fit the patterns but are refused (reserved-names.ts).
    tags: fc.dictionary(
      fc.stringMatching(/^[a-z0-9_.-]{1,10}$/).filter((name) => !isReservedName(name)),
      fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
      { maxKeys: 3 },
    ),
    metadata: fc.dictionary(
      fc.stringMatching(/^[a-z_]{1,10}$/).filter((name) => !isReservedName(name)),
      fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.double({ min: 1e-100, max: 1e15, noNaN: true }),
      ),
      { maxKeys: 3 },
    ),
    tracking: fc.constant({ opens: false }),
  },
  { requiredKeys: ['from', 'to', 'subject', 'text'] },
);

type Body = Record<string, unknown>;
/** A change that makes a valid body invalid, and the field (or field prefix) the 400 must name. */
interface Mutation {
  apply: (body: Body) => Body;
  field: string;
}

const STRING_FIELDS = ['from', 'subject', 'text', 'html'];
const ADDRESS_FIELDS = ['to', 'cc', 'bcc', 'reply_to'];
const RECORD_FIELDS = ['headers', 'tags', 'metadata', 'tracking'];
/** Values of the wrong type for every field. */
const wrongType = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
  fc.constant({ nested: { deeper: [1] } }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...STRING_FIELDS, ...ADDRESS_FIELDS), wrongType)
    .map(([field, value]) => ({ apply: (b: Body) => ({ ...b, [field]: value }), field })),
  fc
    .tuple(
      fc.constantFrom(...RECORD_FIELDS),
      fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null), fc.array(fc.string(), { maxLength: 2 })),
    )
    .map(([field, value]) => ({
      apply: (b: Body) => ({ ...b, [field]: value }),
      field,
    })),
  fc.constantFrom('from', 'to', 'subject').map((field) => ({
    apply: (b: Body) => Object.fromEntries(Object.entries(b).filter(([k]) => k !== field)),
    field,
  })),
  fc.constant<Mutation>({
    apply: (b: Body) => Object.fromEntries(Object.entries(b).filter(([k]) => k !== 'text' && k !== 'html')),
    field: 'text',
  }),
  fc
    .constantFrom('unknown', 'Subject', 'attachments', '__proto__x', 'to ')
    .map((field) => ({ apply: (b: Body) => ({ ...b, [field]: 'x' }), field })),
  fc.tuple(fc.constantFrom('from', 'to', 'cc', 'bcc', 'reply_to', 'subject'), injected).map(([field, bad]) => ({
    apply: (b: Body) => ({ ...b, [field]: field === 'subject' ? `Hi ${bad}` : `Ann${bad} <ann@example.com>` }),
    field,
  })),
  injected.map((bad) => ({ apply: (b: Body) => ({ ...b, headers: { 'X-Bad': bad } }), field: 'headers.X-Bad' })),
  injected.map((bad) => ({ apply: (b: Body) => ({ ...b, tags: { bad } }), field: 'tags.bad' })),
  fc.constantFrom('From', 'bcc', 'Content-Type', 'X Space', 'X:Colon', '', 'X-Mailroom-Id', 'Ünicode').map((header) => ({
    apply: (b: Body) => ({ ...b, headers: { [header]: 'v' } }),
    field: 'headers.',
  })),
  fc
    .constantFrom(Number.MAX_SAFE_INTEGER + 2, -1e300, 1e-200, -Number.MIN_VALUE)
    .map((n) => ({ apply: (b: Body) => ({ ...b, metadata: { n } }), field: 'metadata.n' })),
  fc
    .constantFrom({ deep: { er: 1 } }, [1, 2], 'x'.repeat(3000))
    .map((v) => ({ apply: (b: Body) => ({ ...b, metadata: { v } }), field: 'metadata.v' })),
  fc.constant<Mutation>({ apply: (b: Body) => ({ ...b, subject: 's'.repeat(999) }), field: 'subject' }),
  fc.constant<Mutation>({ apply: (b: Body) => ({ ...b, subject: '   ' }), field: 'subject' }),
  fc.constant<Mutation>({ apply: (b: Body) => ({ ...b, to: Array.from({ length: 51 }, (_, i) => `r${i}@example.com`) }), field: 'to' }),
  fc.constant<Mutation>({ apply: (b: Body) => ({ ...b, tracking: { opens: 'yes' } }), field: 'tracking.opens' }),
  fc.constant<Mutation>({ apply: (b: Body) => ({ ...b, tracking: { opens: true, pixels: true } }), field: 'tracking' }),
);

describe('mutated send requests', () => {
  it('are 400s naming the mutated field, while the valid ones mixed in are accepted', async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(validSend, fc.option(mutation, { nil: undefined, freq: 7 }), async (valid, change) => {
        const body = change ? change.apply(valid) : valid;
        const event = apiEvent('POST', '/v1/messages', { key: h.keyA, body });
        const answer = await h.api.invoke(event);
        expectWellFormed(h.api, event, answer);
        if (!change) {
          expect(answer.status, answer.text).toBe(202);
          accepted += 1;
          return;
        }
        expect(answer.status, answer.text).toBe(400);
        refused += 1;
        const fields = problemFields(answer);
        const named = fields.some((f) =>
          change.field.endsWith('.')
            ? f.startsWith(change.field)
            : f === change.field || f.startsWith(`${change.field}.`) || f.startsWith(`${change.field}[`),
        );
        expect(named, `${change.field} in ${JSON.stringify(fields)}`).toBe(true);
      }),
      { numRuns: runs(500) },
    );
    expect(accepted).toBeGreaterThan(30);
    expect(refused).toBeGreaterThan(300);
    expect(h.api.log.lines.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('in a batch are refused one by one, with the index and the field', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(validSend, fc.option(mutation, { nil: undefined, freq: 2 })), { minLength: 1, maxLength: 4 }),
        async (items) => {
          const messages = items.map(([valid, change]) => (change ? change.apply(valid) : valid));
          const event = apiEvent('POST', '/v1/messages/batch', { key: h.keyA, body: { messages } });
          const answer = await h.api.invoke(event);
          expectWellFormed(h.api, event, answer);
          expect(answer.status, answer.text).toBe(202);
          const results = answer.body.results as { index: number; status_code: number; error?: { details?: { field: string }[] } }[];
          expect(results.map((r) => r.index)).toEqual(items.map((_, i) => i));
          items.forEach(([, change], i) => {
            expect(results[i]!.status_code, JSON.stringify(results[i])).toBe(change ? 400 : 202);
            if (change) expect(results[i]!.error?.details?.length).toBeGreaterThan(0);
          });
        },
      ),
      { numRuns: runs(60) },
    );
  });
});
