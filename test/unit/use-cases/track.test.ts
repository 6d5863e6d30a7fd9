/** The tracking use cases over in-memory ports: clicks, opens, conversions, unsubscribes. */
import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError, type FieldProblem } from '../../../lib/domain/errors.ts';
import { createLinkSigner } from '../../../lib/domain/links.ts';
import {
  click,
  describeUnsubscribe,
  destinationOf,
  open,
  parseConversion,
  parseConversionQuery,
  recordConversion,
  resubscribe,
  unsubscribe,
} from '../../../lib/use-cases/track.ts';
import { campaignMessage, linkSigner, SENT_AT, tokenFor, trackDeps } from '../../support/track-fakes.ts';

const MESSAGE = '01M8HC6RCH8RQF05HS4EE24JD1';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const hit = (id: string, userAgent = CHROME) => ({ id, userAgent, ipAddress: '203.0.113.7' });
const clickToken = (u = 'https://shop.example/sale?a=1&b=x+y#top') => tokenFor({ k: 'c', u });

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return ((error as ValidationError).details as FieldProblem[]).map((p) => p.field);
  }
  throw new Error('accepted');
}

describe('destinationOf', () => {
  it('adds mr_cv after the other query parameters, before the fragment, keeping their encoding', () => {
    expect(destinationOf('https://shop.example/sale?a=%7E1&b=x+y&c#top', 'TOK')).toBe(
      'https://shop.example/sale?a=%7E1&b=x+y&c&mr_cv=TOK#top',
    );
    expect(destinationOf('https://shop.example/', 'TOK')).toBe('https://shop.example/?mr_cv=TOK');
    expect(destinationOf('https://shop.example/?', 'TOK')).toBe('https://shop.example/?mr_cv=TOK');
  });

  it('replaces a mr_cv the URL already had', () => {
    expect(destinationOf('https://shop.example/?mr_cv=old&x=1&mr%5Fcv=older', 'TOK')).toBe('https://shop.example/?x=1&mr_cv=TOK');
  });

  it('never gives anything but an absolute http(s) URL', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', '//evil.example/', '/relative', 'not a url', 'ftp://x.example/']) {
      expect(destinationOf(url, 'TOK'), url).toBeUndefined();
    }
  });
});

describe('click', () => {
  it('redirects to the signed URL with an attribution token of the message and recipient, and records the click', async () => {
    const { deps, events } = trackDeps();
    const { location } = await click(deps, clickToken(), hit('req-1'));
    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe('https://shop.example/sale');
    expect(url.hash).toBe('#top');
    expect(url.search.startsWith('?a=1&b=x+y&mr_cv=')).toBe(true);
    expect(linkSigner.verify(url.searchParams.get('mr_cv')!)).toEqual({ k: 'a', t: 'acme', m: MESSAGE, r: 'ann@example.org' });
    expect(events.events).toEqual([
      {
        eventId: `${MESSAGE}/clicked/ann@example.org/req-1`,
        messageId: MESSAGE,
        tenant: 'acme',
        recipient: 'ann@example.org',
        type: 'clicked',
        at: '2026-11-28T16:00:00.000Z',
        attempt: 1,
        tags: { kind: 'newsletter' },
        fromDomain: 'shop.example',
        list: 'list-1',
        campaign: 'camp-1',
        detail: { link: 'https://shop.example/sale?a=1&b=x+y#top', userAgent: CHROME, ipAddress: '203.0.113.7' },
      },
    ]);
  });

  it('records each request once: the same request again adds nothing, another request counts', async () => {
    const { deps, events } = trackDeps();
    await click(deps, clickToken(), hit('req-1'));
    await click(deps, clickToken(), hit('req-1'));
    await click(deps, clickToken(), hit('req-2'));
    expect(events.events.map((e) => e.eventId)).toEqual([
      `${MESSAGE}/clicked/ann@example.org/req-1`,
      `${MESSAGE}/clicked/ann@example.org/req-2`,
    ]);
  });

  it('marks a click within seconds of the send as a scanner, and a bare user agent as a privacy proxy', async () => {
    const { deps, events } = trackDeps({ now: new Date(Date.parse(SENT_AT) + 3000).toISOString() });
    await click(deps, clickToken(), hit('fast'));
    expect(events.events[0]?.detail.machine).toBe('scanner');
    const later = trackDeps();
    await open(later.deps, tokenFor({ k: 'o' }), hit('mpp', 'Mozilla/5.0'));
    await open(later.deps, tokenFor({ k: 'o' }), hit('person'));
    expect(later.events.events.map((e) => e.detail.machine)).toEqual(['privacy_proxy', undefined]);
  });

  it('is not found for a tampered, forged or other kind of token, and records nothing', async () => {
    const { deps, events } = trackDeps();
    const token = clickToken();
    const forged = createLinkSigner(Buffer.alloc(32, 6)).sign({
      k: 'c',
      t: 'acme',
      m: MESSAGE,
      r: 'ann@example.org',
      u: 'https://evil.example/',
    });
    for (const bad of [
      `${token.slice(0, 10)}x${token.slice(11)}`,
      forged,
      tokenFor({ k: 'o' }),
      tokenFor({ k: 'u', l: 'list-1' }),
      '',
      'x.y',
    ]) {
      await expect(click(deps, bad, hit('r'))).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(events.events).toEqual([]);
  });

  it('is not found for a genuine token whose URL is not http(s)', async () => {
    const { deps } = trackDeps();
    await expect(click(deps, clickToken('javascript:alert(1)'), hit('r'))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('still redirects when the message is no longer kept, or the click cannot be recorded', async () => {
    const gone = trackDeps({ messages: [] });
    expect((await click(gone.deps, clickToken(), hit('r'))).location).toMatch(/^https:\/\/shop\.example\/sale\?/);
    expect(gone.events.events).toEqual([]);
    const failing = trackDeps();
    failing.events.failing = true;
    expect((await click(failing.deps, clickToken(), hit('r'))).location).toMatch(/^https:\/\/shop\.example\//);
    expect(failing.log.lines.some((l) => l.level === 'error' && l.message === 'recording a hit failed')).toBe(true);
  });

  it('records nothing when asked not to (HEAD)', async () => {
    const { deps, events } = trackDeps();
    await click(deps, clickToken(), hit('r'), { record: false });
    expect(events.events).toEqual([]);
  });
});

describe('open', () => {
  it('records an open for a genuine open token only', async () => {
    const { deps, events } = trackDeps();
    expect(await open(deps, tokenFor({ k: 'o' }), hit('o1'))).toBe(true);
    expect(await open(deps, clickToken(), hit('o2'))).toBe(false);
    expect(await open(deps, 'garbage', hit('o3'))).toBe(false);
    expect(events.events.map((e) => [e.eventId, e.type, e.detail.link])).toEqual([
      [`${MESSAGE}/opened/ann@example.org/o1`, 'opened', undefined],
    ]);
  });
});

describe('conversions', () => {
  const attribution = tokenFor({ k: 'a' });

  it('records a conversion with its value and currency, attributed to the message, list and campaign', async () => {
    const { deps, events } = trackDeps();
    const conversion = await recordConversion(deps, { token: attribution, value: 49.9, currency: 'EUR', id: 'order-1' }, 'acme');
    expect(conversion).toEqual({
      messageId: MESSAGE,
      recipient: 'ann@example.org',
      list: 'list-1',
      campaign: 'camp-1',
      conversionId: 'order-1',
      value: 49.9,
      currency: 'EUR',
    });
    expect(events.events).toMatchObject([
      {
        eventId: `${MESSAGE}/converted/ann@example.org/order-1`,
        type: 'converted',
        list: 'list-1',
        campaign: 'camp-1',
        detail: { value: 49.9, currency: 'EUR', conversionId: 'order-1' },
      },
    ]);
  });

  it('counts the same conversion id once, and gives conversions without one an id of their own', async () => {
    const { deps, events } = trackDeps();
    await recordConversion(deps, { token: attribution, value: 10, id: 'order-1' });
    await recordConversion(deps, { token: attribution, value: 10, id: 'order-1' });
    await recordConversion(deps, { token: attribution });
    await recordConversion(deps, { token: attribution });
    expect(events.events.map((e) => e.eventId.split('/').pop())).toEqual(['order-1', 'ID1', 'ID2']);
    expect(events.events[0]?.detail).toEqual({ value: 10, currency: 'USD', conversionId: 'order-1' });
    expect(events.events[1]?.detail).toEqual({ conversionId: 'ID1' });
  });

  it("is not found for another tenant's token, a forged or other token, or a message no longer kept", async () => {
    const { deps, events } = trackDeps();
    await expect(recordConversion(deps, { token: attribution }, 'other-tenant')).rejects.toBeInstanceOf(NotFoundError);
    await expect(recordConversion(deps, { token: clickToken() }, 'acme')).rejects.toBeInstanceOf(NotFoundError);
    await expect(recordConversion(deps, { token: `${attribution}x` }, 'acme')).rejects.toBeInstanceOf(NotFoundError);
    const gone = trackDeps({ messages: [] });
    await expect(recordConversion(gone.deps, { token: attribution }, 'acme')).rejects.toThrow('Message not found.');
    expect(events.events).toEqual([]);
  });

  it('refuses values that are negative, too large or not numbers, and currencies that are not ISO 4217 codes', () => {
    expect(parseConversion({ token: 't', value: 0 })).toEqual({ token: 't', value: 0 });
    expect(parseConversion({ token: 't', value: 1e9, currency: 'JPY', id: 'A-1' })).toEqual({
      token: 't',
      value: 1e9,
      currency: 'JPY',
      id: 'A-1',
    });
    expect(problems(() => parseConversion({ token: 't', value: -1 }))).toEqual(['value']);
    expect(problems(() => parseConversion({ token: 't', value: 1e9 + 1 }))).toEqual(['value']);
    expect(problems(() => parseConversion({ token: 't', value: '12' }))).toEqual(['value']);
    expect(problems(() => parseConversion({ token: 't', value: Number.POSITIVE_INFINITY }))).toEqual(['value']);
    expect(problems(() => parseConversion({ token: 't', currency: 'eur' }))).toEqual(['currency']);
    expect(problems(() => parseConversion({ token: 't', currency: 'EURO' }))).toEqual(['currency']);
    expect(problems(() => parseConversion({ token: 't', id: 'has space' }))).toEqual(['id']);
    expect(problems(() => parseConversion({ value: 1 }))).toEqual(['token']);
    expect(problems(() => parseConversion({ token: 't', extra: 1 }))).toEqual(['extra']);
    expect(problems(() => parseConversion(null))).toEqual(['(body)']);
  });

  it('reads the pixel query: plain decimals only, empty parameters absent', () => {
    expect(parseConversionQuery('t', { value: '12.50', currency: 'EUR', id: 'o-1' })).toEqual({
      token: 't',
      value: 12.5,
      currency: 'EUR',
      id: 'o-1',
    });
    expect(parseConversionQuery('t', { value: '', currency: '' })).toEqual({ token: 't' });
    for (const value of ['1e3', '-1', '0x10', 'Infinity', 'NaN', '1,5', ' 1', '99999999999']) {
      expect(
        problems(() => parseConversionQuery('t', { value })),
        value,
      ).toEqual(['value']);
    }
  });
});

describe('unsubscribe and resubscribe', () => {
  const listToken = tokenFor({ k: 'u', l: 'list-1' });

  it('unsubscribes from the list: the entry later sends check, the contact status, one event', async () => {
    const { deps, events, unsubscribes, contacts } = trackDeps();
    const done = await unsubscribe(deps, listToken, 'list');
    expect(done).toEqual({ tenant: 'acme', email: 'ann@example.org', listId: 'list-1', listName: 'Weekly <deals> & news', scope: 'list' });
    expect([...unsubscribes.entries.values()]).toEqual([
      {
        tenant: 'acme',
        email: 'ann@example.org',
        listId: 'list-1',
        createdAt: '2026-11-28T16:00:00.000Z',
        messageId: MESSAGE,
        campaign: 'camp-1',
      },
    ]);
    expect(await unsubscribes.findMany('acme', 'list-1', ['ann@example.org'])).toHaveProperty('size', 1);
    expect(contacts.statuses.get('acme|list-1|ann@example.org')).toBe('unsubscribed');
    await unsubscribe(deps, listToken, 'list');
    expect(events.events).toMatchObject([
      {
        eventId: `${MESSAGE}/unsubscribed/ann@example.org/list`,
        type: 'unsubscribed',
        list: 'list-1',
        campaign: 'camp-1',
        tags: { kind: 'newsletter' },
        detail: { scope: 'list' },
      },
    ]);
  });

  it('unsubscribes from all marketing mail when asked, or when the token has no list', async () => {
    const { deps, events, unsubscribes, contacts } = trackDeps();
    expect((await unsubscribe(deps, listToken, 'marketing')).scope).toBe('marketing');
    expect((await unsubscribe(deps, tokenFor({ k: 'u' }), 'list')).scope).toBe('marketing');
    expect([...unsubscribes.entries.values()].map((e) => e.listId)).toEqual([undefined]);
    expect(contacts.statuses.size).toBe(0);
    expect(await unsubscribes.findMany('acme', 'another-list', ['ann@example.org'])).toHaveProperty('size', 1);
    expect(events.events.map((e) => e.eventId)).toEqual([`${MESSAGE}/unsubscribed/ann@example.org/marketing`]);
  });

  it('still unsubscribes for a message no longer kept, recording what the token knows', async () => {
    const { deps, events, unsubscribes } = trackDeps({ messages: [] });
    await unsubscribe(deps, listToken, 'list');
    expect(unsubscribes.entries.size).toBe(1);
    expect(events.events).toEqual([
      {
        eventId: `${MESSAGE}/unsubscribed/ann@example.org/list`,
        messageId: MESSAGE,
        tenant: 'acme',
        tags: {},
        list: 'list-1',
        recipient: 'ann@example.org',
        type: 'unsubscribed',
        at: '2026-11-28T16:00:00.000Z',
        attempt: 0,
        detail: { scope: 'list' },
      },
    ]);
  });

  it('subscribes again: removes the entry of that scope and marks the contact subscribed', async () => {
    const { deps, unsubscribes, contacts } = trackDeps();
    await unsubscribe(deps, listToken, 'list');
    await unsubscribe(deps, listToken, 'marketing');
    await resubscribe(deps, listToken, 'list');
    expect([...unsubscribes.entries.values()].map((e) => e.listId)).toEqual([undefined]);
    expect(contacts.statuses.get('acme|list-1|ann@example.org')).toBe('subscribed');
    await resubscribe(deps, listToken, 'marketing');
    expect(unsubscribes.entries.size).toBe(0);
  });

  it('describes the token without changing anything, and refuses tokens that are not genuine unsubscribe tokens', async () => {
    const { deps, events, unsubscribes } = trackDeps({ lists: [] });
    expect(await describeUnsubscribe(deps, listToken)).toEqual({ tenant: 'acme', email: 'ann@example.org', listId: 'list-1' });
    for (const bad of [clickToken(), tokenFor({ k: 'o' }), `${listToken.slice(0, -1)}A`, 'nope']) {
      await expect(describeUnsubscribe(deps, bad)).rejects.toBeInstanceOf(NotFoundError);
      await expect(unsubscribe(deps, bad, 'list')).rejects.toBeInstanceOf(NotFoundError);
      await expect(resubscribe(deps, bad, 'list')).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(events.events).toEqual([]);
    expect(unsubscribes.entries.size).toBe(0);
  });

  it('keeps working without the contact on the list', async () => {
    const { deps, unsubscribes } = trackDeps({ contacts: [], messages: [campaignMessage()] });
    await unsubscribe(deps, listToken, 'list');
    expect(unsubscribes.entries.size).toBe(1);
  });
});
