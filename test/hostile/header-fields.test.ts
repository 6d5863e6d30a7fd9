/**
 * Names and text of the `headers` and `subject` of a send request that must be refused with a
 * 400 naming the field: headers Amazon SES acts on, text that is not well-formed Unicode, and
 * names that are special to JavaScript objects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMessageStore } from '../../lib/adapters/dynamodb/message-store.ts';
import { apiEvent } from '../integration/api/events.ts';
import { problemFields } from '../integration/api/harness.ts';
import { hostileApi, invokeChecked, sendBody, type HostileApi } from './support.ts';

let h: HostileApi;
beforeAll(async () => {
  h = await hostileApi();
});
afterAll(() => h.api.close());

/** POSTs `body` (JSON text as given, or an object) and returns the answer, checked for the invariants. */
const post = (body: unknown) =>
  invokeChecked(h.api, apiEvent('POST', '/v1/messages', { key: h.keyA, body, headers: { 'content-type': 'application/json' } }));

/** `sendBody` as JSON text with `extra` (JSON text of more members) spliced in, so that keys and escapes stay as written. */
const jsonWith = (extra: string) => `${JSON.stringify(sendBody()).slice(0, -1)},${extra}}`;

describe('X-SES-* headers', () => {
  it.each(['X-SES-CONFIGURATION-SET', 'X-SES-MESSAGE-TAGS', 'x-ses-source-arn', 'X-Ses-Return-Path-Arn', 'X-SES-LIST-MANAGEMENT-OPTIONS'])(
    '%s is a 400 naming it',
    async (name) => {
      const answer = await post(sendBody({ headers: { [name]: 'other-tenant-set' } }));
      expect(answer.status, answer.text).toBe(400);
      expect(problemFields(answer)).toEqual([`headers.${name}`]);
      expect(answer.text).toMatch(/Amazon SES/);
    },
  );

  it('a header that only starts like one is taken', async () => {
    const answer = await post(sendBody({ headers: { 'X-SESSION': 'a', 'X-SES': 'b' } }));
    expect(answer.status, answer.text).toBe(202);
  });
});

describe('text that is not well-formed Unicode', () => {
  it.each([
    ['subject', '"subject":"Order \\ud800 shipped"', 'subject'],
    ['subject (lone low surrogate)', '"subject":"\\udc00"', 'subject'],
    ['header value', '"headers":{"X-Order":"42\\udbff"}', 'headers.X-Order'],
    ['from display name', '"from":"Shop \\ud83d <orders@shop.example>"', 'from'],
    ['second to', '"to":["ann@example.com","Bob \\udfff <bob@example.com>"]', 'to[1]'],
    ['reply_to', '"reply_to":"Help\\ud800 <help@shop.example>"', 'reply_to'],
  ])('a lone surrogate in the %s is a 400 naming the field', async (_where, member, field) => {
    const answer = await post(jsonWith(member));
    expect(answer.status, answer.text).toBe(400);
    expect(problemFields(answer)).toContain(field);
  });

  it('a surrogate pair (an emoji) is taken and stored as sent', async () => {
    const answer = await post(sendBody({ subject: 'Order 😀 shipped', headers: { 'X-Mood': '😀' } }));
    expect(answer.status, answer.text).toBe(202);
    const stored = await new DynamoMessageStore(h.api.dynamo, h.api.tables.messages).get(answer.body.id);
    expect(stored?.message.content.subject).toBe('Order 😀 shipped');
    expect(stored?.message.content.headers).toEqual({ 'X-Mood': '😀' });
  });
});

describe('header names special to JavaScript objects', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('%s is a 400 naming it', async (name) => {
    const answer = await post(jsonWith(`"headers":{"X-Order":"42",${JSON.stringify(name)}:"x"}`));
    expect(answer.status, answer.text).toBe(400);
    expect(problemFields(answer)).toEqual([`headers.${name}`]);
  });
});
