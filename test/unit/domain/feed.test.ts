import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/domain/errors.ts';
import { feedMatches, parseDateTime, parseFeedQuery, type FeedFilter } from '../../../lib/domain/feed.ts';
import type { MessageRecord } from '../../../lib/domain/message.ts';

function problems(query: Record<string, string>): { field: string; message: string }[] {
  try {
    parseFeedQuery(query);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).details as { field: string; message: string }[];
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
}

const message = (overrides: Partial<MessageRecord> = {}): MessageRecord => ({
  id: '01JD0000000000000000000001',
  tenant: 'acme',
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  messageIdHeader: '<x@acme.example>',
  envelopeFrom: 'shop@acme.example',
  content: { from: 'shop@acme.example', to: ['ann@example.com'], cc: [], bcc: [], replyTo: [], subject: 'Hi', headers: {} },
  tags: { kind: 'receipt' },
  metadata: {},
  status: 'bounced',
  attempts: 1,
  ...overrides,
});

describe('parseFeedQuery', () => {
  it('takes every filter, normalising the address and the times', () => {
    expect(
      parseFeedQuery({
        limit: '25',
        cursor: 'abc',
        status: 'bounced',
        to: 'Ann@Example.COM',
        tag: 'order=a=b',
        campaign: '01JCAMPA1GN0000000000000AA',
        template: 'welcome v2',
        after: '2026-03-01T10:00:00+01:00',
        before: '2026-03-02T00:00:00.5Z',
      }),
    ).toEqual({
      limit: 25,
      cursor: 'abc',
      filter: {
        status: 'bounced',
        recipient: 'Ann@example.com',
        tag: { name: 'order', value: 'a=b' },
        campaign: '01JCAMPA1GN0000000000000AA',
        template: 'welcome v2',
        after: '2026-03-01T09:00:00.000Z',
        before: '2026-03-02T00:00:00.500Z',
      },
    });
  });

  it('lists 100 by default, with no filter', () => {
    expect(parseFeedQuery({})).toEqual({ limit: 100, filter: {} });
  });

  it.each(['queued', 'sent', 'deferred', 'delivered', 'bounced', 'complained', 'failed', 'rejected', 'scheduled', 'canceled'])(
    'takes the status %s',
    (status) => {
      expect(parseFeedQuery({ status }).filter).toEqual({ status });
    },
  );

  it('takes a tag with an empty value', () => {
    expect(parseFeedQuery({ tag: 'flag=' }).filter.tag).toEqual({ name: 'flag', value: '' });
  });

  it('names every bad parameter at once', () => {
    expect(
      problems({ status: 'nope', to: 'x', tag: 'bad name=1', limit: '0', after: 'soon', campaign: 'a b', extra: '1' }).map((p) => p.field),
    ).toEqual(['extra', 'limit', 'status', 'to', 'tag', 'campaign', 'after']);
  });

  it('wants before later than after', () => {
    expect(problems({ after: '2026-03-01T10:00:00Z', before: '2026-03-01T10:00:00Z' })).toEqual([
      { field: 'before', message: 'must be later than after' },
    ]);
    expect(parseFeedQuery({ after: '2026-03-01T10:00:00Z', before: '2026-03-01T10:00:00.001Z' }).filter).toEqual({
      after: '2026-03-01T10:00:00.000Z',
      before: '2026-03-01T10:00:00.001Z',
    });
  });

  it('refuses a tag value over 256 characters and a template over 256', () => {
    expect(problems({ tag: `k=${'v'.repeat(257)}` }).map((p) => p.field)).toEqual(['tag']);
    expect(problems({ template: 't'.repeat(257) }).map((p) => p.field)).toEqual(['template']);
  });

  it('never throws anything but a ValidationError, whatever the query', () => {
    const names = fc.constantFrom('limit', 'cursor', 'status', 'to', 'tag', 'after', 'before', 'template', 'campaign', 'x');
    fc.assert(
      fc.property(fc.dictionary(names, fc.string({ maxLength: 40 })), (query) => {
        try {
          parseFeedQuery(query);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
        }
      }),
    );
  });
});

describe('parseDateTime', () => {
  it.each<[string, string]>([
    ['2026-03-01T10:00:00Z', '2026-03-01T10:00:00.000Z'],
    ['2026-03-01t10:00:00z', '2026-03-01T10:00:00.000Z'],
    ['2026-03-01T10:00:00.123456789Z', '2026-03-01T10:00:00.123Z'],
    ['2026-03-01T10:00:00-05:30', '2026-03-01T15:30:00.000Z'],
    // A `+` in a query string arrives as a space.
    ['2026-03-01T10:00:00 02:00', '2026-03-01T08:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(new Date(parseDateTime(text, 'floor')!).toISOString()).toBe(iso);
  });

  it('rounds a fraction below the millisecond down or up', () => {
    expect(parseDateTime('2026-03-01T10:00:00.0001Z', 'floor')).toBe(Date.parse('2026-03-01T10:00:00.000Z'));
    expect(parseDateTime('2026-03-01T10:00:00.0001Z', 'ceil')).toBe(Date.parse('2026-03-01T10:00:00.001Z'));
    expect(parseDateTime('2026-03-01T10:00:00.001Z', 'ceil')).toBe(Date.parse('2026-03-01T10:00:00.001Z'));
  });

  it.each([
    '2026-03-01',
    '2026-03-01T10:00:00',
    '2026-03-01 10:00:00Z',
    '2023-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T10:60:00Z',
    '2026-03-01T10:00:00+24:00',
    '1969-12-31T23:59:59Z',
    '+2026-03-01T10:00:00Z',
    '2026-03-01T10:00:00.Z',
    '1772359200',
  ])('refuses %s', (text) => {
    expect(parseDateTime(text, 'floor')).toBeUndefined();
  });

  it('reads back every instant it writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }), (ms) => {
        expect(parseDateTime(new Date(ms).toISOString(), 'floor')).toBe(ms);
      }),
    );
  });
});

describe('feedMatches', () => {
  const recipients = ['ann@example.com', 'audit@acme.example'];
  /** An hour after the test message was accepted. */
  const NOW = Date.parse('2026-03-01T11:00:00.000Z');

  it.each<[string, FeedFilter, boolean]>([
    ['no filter', {}, true],
    ['its status', { status: 'bounced' }, true],
    ['another status', { status: 'sent' }, false],
    ['a recipient', { recipient: 'audit@acme.example' }, true],
    ['someone else', { recipient: 'bob@example.com' }, false],
    ['its tag', { tag: { name: 'kind', value: 'receipt' } }, true],
    ['another value', { tag: { name: 'kind', value: 'news' } }, false],
    ['a tag it lacks', { tag: { name: 'constructor', value: '' } }, false],
    ['a campaign', { campaign: 'C1' }, false],
    ['a template', { template: 'welcome' }, false],
    ['after a time before it', { after: '2026-03-01T09:59:59.999Z' }, true],
    ['after its time', { after: '2026-03-01T10:00:00.000Z' }, false],
    ['before its time', { before: '2026-03-01T10:00:00.000Z' }, false],
    ['before a time after it', { before: '2026-03-01T10:00:00.001Z' }, true],
  ])('%s', (_, filter, expected) => {
    expect(feedMatches(filter, 'acme', message(), recipients, NOW)).toBe(expected);
  });

  it('matches a campaign and a template where the message has them', () => {
    const templated = message({ campaign: 'C1', template: { id: 'welcome', version: 3 } });
    expect(feedMatches({ campaign: 'C1', template: 'welcome' }, 'acme', templated, recipients, NOW)).toBe(true);
    expect(feedMatches({ template: 'welcome' }, 'acme', message({ template: { id: 'other', version: 1 } }), recipients, NOW)).toBe(false);
  });

  it('matches a scheduled message by the status it shows: scheduled until its time, queued from then', () => {
    const scheduled = (sendAt: string) => message({ status: 'scheduled', sendAt, attempts: 0 });
    const later = scheduled('2026-03-01T12:00:00.000Z');
    expect(feedMatches({ status: 'scheduled' }, 'acme', later, recipients, NOW)).toBe(true);
    expect(feedMatches({ status: 'queued' }, 'acme', later, recipients, NOW)).toBe(false);
    const due = scheduled('2026-03-01T10:30:00.000Z');
    expect(feedMatches({ status: 'scheduled' }, 'acme', due, recipients, NOW)).toBe(false);
    expect(feedMatches({ status: 'queued' }, 'acme', due, recipients, NOW)).toBe(true);
    expect(feedMatches({ status: 'canceled' }, 'acme', message({ status: 'canceled', sendAt: later.sendAt! }), recipients, NOW)).toBe(true);
  });

  it('never matches another tenant’s message', () => {
    expect(feedMatches({}, 'other', message(), recipients, NOW)).toBe(false);
  });
});
