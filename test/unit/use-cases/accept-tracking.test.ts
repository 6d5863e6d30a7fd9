/** Tracking asked for in a send request: validated, and applied to the html when the message is prepared. */
import { describe, expect, it } from 'vitest';
import { UnprocessableError, ValidationError } from '../../../lib/domain/errors.ts';
import { createLinkSigner, listUnsubscribeHeaders, unsubscribeUrl } from '../../../lib/domain/links.ts';
import { parseSendRequest } from '../../../lib/domain/send-request.ts';
import { prepare, type AcceptDeps } from '../../../lib/use-cases/accept-message.ts';
import {
  clockAt,
  MemoryEventStore,
  MemoryMessageStore,
  MemorySendQueue,
  MemorySuppressionStore,
  memoryLog,
} from '../../support/fakes/index.ts';

const signer = createLinkSigner(Buffer.alloc(32, 3));
const links = { signer, baseUrl: 'https://mail.example.com' };
const deps = (withLinks = true): AcceptDeps => ({
  messages: new MemoryMessageStore(),
  events: new MemoryEventStore(),
  suppressions: new MemorySuppressionStore(),
  queue: new MemorySendQueue(),
  clock: clockAt('2026-11-28T15:00:00.000Z'),
  newId: () => '01M8HC6RCH8RQF05HS4EE24JD1',
  log: memoryLog(),
  ...(withLinks && { links }),
});
const body = {
  from: 'Shop <news@shop.example>',
  to: ['Ann <Ann@Example.ORG>', 'bob@example.org'],
  cc: 'carl@example.org',
  subject: 'Sale',
  html: '<p><a href="https://shop.example/sale">Sale</a></p>',
  text: 'https://shop.example/sale',
};
const tokens = (html: string) => [...html.matchAll(/\/t\/[co]\/([\w.-]+)/g)].map((m) => signer.verify(m[1]!));

describe('send request tracking', () => {
  it('is off unless asked, and each option defaults to false', () => {
    expect(parseSendRequest(body).tracking).toBeUndefined();
    expect(parseSendRequest({ ...body, tracking: {} }).tracking).toEqual({ opens: false, clicks: false });
    expect(parseSendRequest({ ...body, tracking: { clicks: true } }).tracking).toEqual({ opens: false, clicks: true });
  });

  it('refuses unknown options and values that are not booleans', () => {
    for (const tracking of [{ clicks: 'yes' }, { links: true }, true]) {
      expect(() => parseSendRequest({ ...body, tracking })).toThrow(ValidationError);
    }
  });
});

describe('prepare with tracking', () => {
  it('tracks the html for the first `to` recipient, leaving the text part alone', async () => {
    const prepared = await prepare(deps(), 'acme', parseSendRequest({ ...body, tracking: { clicks: true, opens: true } }));
    const { html, text } = prepared.stored.message.content;
    const r = 'Ann@example.org';
    expect(tokens(html!)).toEqual([
      { k: 'c', t: 'acme', m: '01M8HC6RCH8RQF05HS4EE24JD1', r, u: 'https://shop.example/sale' },
      { k: 'o', t: 'acme', m: '01M8HC6RCH8RQF05HS4EE24JD1', r },
    ]);
    expect(text).toBe('https://shop.example/sale');
  });

  it('changes nothing without tracking, or without an html part', async () => {
    expect((await prepare(deps(), 'acme', parseSendRequest(body))).stored.message.content.html).toBe(body.html);
    expect(
      (await prepare(deps(), 'acme', parseSendRequest({ ...body, tracking: { clicks: false, opens: false } }))).stored.message.content.html,
    ).toBe(body.html);
    const { html: _html, ...textOnly } = body;
    expect(
      (await prepare(deps(false), 'acme', parseSendRequest({ ...textOnly, tracking: { clicks: true } }))).stored.message.content.html,
    ).toBeUndefined();
  });

  it('refuses tracking with 422 when links are not configured', async () => {
    const attempt = prepare(deps(false), 'acme', parseSendRequest({ ...body, tracking: { opens: true } }));
    await expect(attempt).rejects.toBeInstanceOf(UnprocessableError);
    await expect(attempt).rejects.toMatchObject({ status: 422, code: 'tracking_unavailable' });
  });

  it('prepares a campaign message: its List-Unsubscribe headers kept, its unsubscribe link not tracked', async () => {
    const ctx = { ...links, tenant: 'acme', messageId: 'CAMPAIGNMSG1', recipient: 'ann@example.org' };
    const unsubscribe = unsubscribeUrl(ctx, 'list-1');
    const request = parseSendRequest({
      from: 'news@shop.example',
      to: 'ann@example.org',
      subject: 'News',
      html: `<a href="https://shop.example/">Shop</a> <a href="${unsubscribe}">Unsubscribe</a>`,
    });
    const headers = listUnsubscribeHeaders(ctx, 'list-1');
    const campaignRequest = { ...request, content: { ...request.content, headers }, tracking: { clicks: true, opens: false } };
    const prepared = await prepare(deps(), 'acme', campaignRequest, {
      id: 'CAMPAIGNMSG1',
      list: 'list-1',
      campaign: 'camp-1',
      suppressed: new Map(),
    });
    const { message } = prepared.stored;
    expect(message).toMatchObject({ id: 'CAMPAIGNMSG1', list: 'list-1', campaign: 'camp-1' });
    expect(message.content.headers).toEqual(headers);
    expect(message.content.html).toContain(`href="${unsubscribe}"`);
    expect(tokens(message.content.html!)).toEqual([
      { k: 'c', t: 'acme', m: 'CAMPAIGNMSG1', r: 'ann@example.org', u: 'https://shop.example/' },
    ]);
  });
});
