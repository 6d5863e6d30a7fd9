/**
 * Names and text of the `headers` and `subject` of a send request that must be refused with a
 * 400 naming the field: headers Amazon SES acts on, text that is not well-formed Unicode, and
 * names that are special to JavaScript objects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('header names special to JavaScript objects', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('%s is a 400 naming it', async (name) => {
    const answer = await post(jsonWith(`"headers":{"X-Order":"42",${JSON.stringify(name)}:"x"}`));
    expect(answer.status, answer.text).toBe(400);
    expect(problemFields(answer)).toEqual([`headers.${name}`]);
  });
});
