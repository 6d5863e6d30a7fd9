/**
 * The exports API through the local runtime, on a handful of messages: the delivery-error
 * report with every kind of failure, an empty report, tenant isolation and scopes, the signed
 * download links, and request validation. (exports-large.test.ts does the 50,000 rows.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoEventStore } from '../../../lib/adapters/dynamodb/event-store.ts';
import { DynamoMessageStore } from '../../../lib/adapters/dynamodb/message-store.ts';
import { ENV } from '../../../lib/env.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { as, exportCsv, newKey, waitForExport } from '../../support/exports.ts';
import { call, startPipeline } from '../../support/pipeline.ts';
import { day, fixtureEvent, fixtureMessage, messageId, recipientEmail } from './export-fixtures.ts';

const FROM = day(-2);
const TO = day(-1);
const ERRORS_DAY = day(-4);

let runtime: LocalRuntime;
let messages: DynamoMessageStore;
let events: DynamoEventStore;
const keys: Record<string, string> = {};

beforeAll(async () => {
  runtime = await startPipeline();
  messages = new DynamoMessageStore(runtime.dynamo, runtime.env[ENV.messagesTable]!);
  events = new DynamoEventStore(runtime.dynamo, runtime.env[ENV.eventsTable]!);
  keys.other = await newKey(runtime, 'other', ['read']);
  keys.sendOnly = await newKey(runtime, 'dev', ['send']);
  // One message of each tenant in the same range.
  await messages.create(fixtureMessage('D', 0, 'dev', `${FROM}T08:00:00.000Z`, 3));
  await messages.create(fixtureMessage('C', 0, 'other', `${TO}T08:00:00.000Z`, 2));
});
afterAll(() => runtime?.stop());

describe('delivery-error report', () => {
  it('lists every failure event with its classification, in time order', async () => {
    const at = `${ERRORS_DAY}T10:00:00.000Z`;
    const later = `${ERRORS_DAY}T11:00:00.000Z`;
    await messages.create(fixtureMessage('E', 0, 'dev', at, 3));
    await messages.create(fixtureMessage('E', 1, 'dev', later, 3));
    const hard = {
      relay: 'smtp',
      bounceType: 'hard',
      category: 'no_such_mailbox',
      explanation: 'The mailbox does not exist.',
      diagnostic: '550 5.1.1 no such user',
      answer: { code: 550, response: '550 5.1.1 no such user' },
    } as const;
    await events.append([
      fixtureEvent('E', 0, 0, 'dev', at, 'sent', 1, { relay: 'smtp', answer: { code: 250, response: '250 ok' } }),
      fixtureEvent('E', 0, 1, 'dev', at, 'deferred', 2, { relay: 'smtp', answer: { code: 451, response: '451 4.7.1 greylisted' } }),
      fixtureEvent('E', 0, 2, 'dev', at, 'bounced', 3, hard),
      fixtureEvent('E', 0, 0, 'dev', at, 'complained', 60, { relay: 'ses' }),
      fixtureEvent('E', 1, 0, 'dev', later, 'rejected', 0, { reason: 'suppressed (hard_bounce)' }),
      fixtureEvent('E', 1, 1, 'dev', later, 'failed', 5, { reason: 'gave up after 5 receives: Error' }),
      fixtureEvent('E', 1, 2, 'dev', later, 'bounced', 9, {
        relay: 'smtp',
        bounceType: 'soft',
        category: 'relay_unreachable',
        explanation: 'The receiving mail server could not be reached.',
        diagnostic: '-ERR connection refused',
      }),
    ]);

    const { job, records } = await exportCsv(runtime, 'errors', ERRORS_DAY, ERRORS_DAY);
    const plus = (base: string, s: number) => new Date(Date.parse(base) + s * 1000).toISOString();
    const [e0, e1] = [messageId('E', 0), messageId('E', 1)];
    expect(records).toEqual([
      ['at', 'message_id', 'recipient', 'event', 'bounce_type', 'category', 'explanation', 'diagnostic', 'relay'],
      [plus(at, 2), e0, recipientEmail(0, 1), 'deferred', 'soft', '', '', '451 4.7.1 greylisted', 'smtp'],
      [
        plus(at, 3),
        e0,
        recipientEmail(0, 2),
        'bounced',
        'hard',
        'no_such_mailbox',
        'The mailbox does not exist.',
        '550 5.1.1 no such user',
        'smtp',
      ],
      [plus(at, 60), e0, recipientEmail(0, 0), 'complained', '', '', 'The recipient reported the message as spam.', '', 'ses'],
      [later, e1, recipientEmail(1, 0), 'rejected', '', '', 'suppressed (hard_bounce)', '', ''],
      [plus(later, 5), e1, recipientEmail(1, 1), 'failed', '', '', 'gave up after 5 receives: Error', '', ''],
      [
        plus(later, 9),
        e1,
        recipientEmail(1, 2),
        'bounced',
        'soft',
        'relay_unreachable',
        'The receiving mail server could not be reached.',
        "'-ERR connection refused",
        'smtp',
      ],
    ]);
    expect(job.row_count).toBe(6);
  });

  it('writes just the header for a range without failures', async () => {
    const { job, records } = await exportCsv(runtime, 'errors', day(-30), day(-29));
    expect(job.row_count).toBe(0);
    expect(records).toEqual([['at', 'message_id', 'recipient', 'event', 'bounce_type', 'category', 'explanation', 'diagnostic', 'relay']]);
  });
});

describe('tenant isolation and access', () => {
  it("answers 404 for another tenant's export, and exports only the tenant's own messages", async () => {
    const mine = await call(runtime, 'POST', '/v1/exports', { type: 'errors', from: ERRORS_DAY, to: ERRORS_DAY });
    const theirs = await call(runtime, 'GET', `/v1/exports/${mine.body.id}`, undefined, as(keys.other));
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.code).toBe('not_found');

    const { records } = await exportCsv(runtime, 'sends', FROM, TO, keys.other);
    expect(records.slice(1).map((row) => row[0])).toEqual([messageId('C', 0), messageId('C', 0)]);
    const own = await exportCsv(runtime, 'sends', FROM, TO);
    expect(own.records.slice(1).map((row) => row[0])).toEqual(Array(3).fill(messageId('D', 0)));
  });

  it('needs the read scope, and 404s unknown ids', async () => {
    const refused = await call(runtime, 'POST', '/v1/exports', { type: 'sends', from: FROM, to: TO }, as(keys.sendOnly));
    expect(refused.status).toBe(403);
    expect((await call(runtime, 'GET', '/v1/exports/01NOSUCHEXPORT0000000000000')).status).toBe(404);
    expect((await call(runtime, 'GET', '/v1/exports/not..an..id')).status).toBe(404);
  });

  it('serves files only through a good, signed link', async () => {
    const created = await call(runtime, 'POST', '/v1/exports', { type: 'errors', from: ERRORS_DAY, to: ERRORS_DAY });
    const job = await waitForExport(runtime, created.body.id);
    const url = new URL(job.download_url);
    expect(url.pathname).toMatch(/^\/local\/exports\/[0-9A-Z]+\/1\/mailroom-errors-.*\.csv$/);
    const tampered = new URL(url);
    tampered.searchParams.set('signature', `${url.searchParams.get('signature')!.slice(0, -2)}AA`);
    expect((await fetch(tampered)).status).toBe(403);
    const extended = new URL(url);
    extended.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    expect((await fetch(extended)).status).toBe(403);
    expect((await fetch(`${runtime.apiUrl}${url.pathname}`)).status).toBe(404);
    for (const path of ['/local/exports/..%2F..%2Fdev-api-key', '/local/exports/%2e%2e/%2e%2e/etc/passwd', '/local/exports/.%2e/x.csv']) {
      const answer = await fetch(`${runtime.apiUrl}${path}?${url.searchParams}`);
      expect(answer.status).toBe(404);
    }
  });
});

describe('validation', () => {
  it.each([
    [{ type: 'bounces', from: FROM, to: TO }, ['type']],
    [{ type: 'sends', from: '2026-02-30', to: TO }, ['from']],
    [{ type: 'sends', from: FROM }, ['to']],
    [{ type: 'sends', from: TO, to: FROM }, ['to']],
    [{ type: 'sends', from: '2024-01-01', to: '2025-01-01' }, ['to']],
    [{ type: 'errors', from: FROM, to: TO, format: 'xlsx' }, ['format']],
    [{}, ['type', 'from', 'to']],
    [[], ['(body)']],
  ])('refuses %j with 400 naming %j', async (body, fields) => {
    const answer = await call(runtime, 'POST', '/v1/exports', body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_request');
    expect(answer.body.error.details.map((d: { field: string }) => d.field)).toEqual(fields);
  });

  it('accepts a range of 366 days', async () => {
    expect((await call(runtime, 'POST', '/v1/exports', { type: 'errors', from: '2024-01-01', to: '2024-12-31' })).status).toBe(202);
  });
});
