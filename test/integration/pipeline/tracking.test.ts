/**
 * Tracking through the local runtime: a message sent with tracking on arrives with its links
 * rewritten and an open pixel; following them records clicks and opens, the attribution token
 * reports a conversion, and the one-click unsubscribe takes effect, each counted in reports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoUnsubscribeStore } from '../../../lib/adapters/dynamodb/unsubscribe-store.ts';
import { ENV } from '../../../lib/env.ts';
import { ATTRIBUTION_PARAM, createLinkSigner, listUnsubscribeHeaders } from '../../../lib/domain/links.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { TABLE_ENV } from '../../../lib/topology.ts';
import { call, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import { waitFor } from '../../support/wait.ts';

const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const day = () => new Date().toISOString().slice(0, 10);

let runtime: LocalRuntime;
let messageId: string;
let clickLink: string;
let pixelLink: string;

/** Sends a message with tracking on and returns its id and the links its delivered copy holds. */
async function trackedMessage(tags: Record<string, string> = {}) {
  const sent = await call(runtime, 'POST', '/v1/messages', {
    from: 'Shop <news@shop.test>',
    to: 'Ann <ann@example.test>',
    subject: 'Our sale',
    html: '<html><body><p>Hello</p><p><a href="https://shop.test/sale?x=1&amp;y=2#top">See the sale</a> <a href="mailto:help@shop.test">Help</a></p></body></html>',
    text: 'Our sale: https://shop.test/sale',
    tracking: { clicks: true, opens: true },
    tags,
  });
  expect(sent.status).toBe(202);
  const id: string = sent.body.id;
  await waitForMessage(runtime, id, (m) => m.status === 'sent');
  const mail = await waitFor(
    () =>
      runtime.capture!.messages().find((m) => m.headers.some(([name, value]) => name.toLowerCase() === 'x-mailroom-id' && value === id)),
    (found) => found !== undefined,
    { message: `the delivered copy of ${id}` },
  );
  const html = mail!.html ?? '';
  return {
    id,
    html,
    clickLink: /href="([^"]+\/t\/c\/[^"]+)"/.exec(html)?.[1] ?? '',
    pixelLink: /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(html)?.[1] ?? '',
  };
}

beforeAll(async () => {
  runtime = await startPipeline();
  const tracked = await trackedMessage();
  ({ id: messageId, clickLink, pixelLink } = tracked);
  expect(tracked.html).toContain('href="mailto:help@shop.test"');
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
});

/** Waits until the day's report totals (with `tag`, that tag's) satisfy `done`. */
function totalsWhen(done: (totals: Record<string, unknown>) => boolean, tag?: string): Promise<Record<string, unknown>> {
  const query = `from=${day()}&to=${day()}${tag ? `&tag=${encodeURIComponent(tag)}` : ''}`;
  return waitFor(async () => (await call(runtime, 'GET', `/v1/reports?${query}`)).body.totals, done, {
    interval: 100,
    message: `the day's report totals${tag ? ` of ${tag}` : ''}`,
  });
}

const get = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { redirect: 'manual', headers: { 'user-agent': BROWSER, ...headers } });

describe('click tracking', () => {
  it('delivers the links rewritten to mailroom, and redirects a click to the original URL with mr_cv', async () => {
    expect(clickLink.startsWith(`${runtime.apiUrl}/t/c/`)).toBe(true);
    const response = await get(clickLink);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe('https://shop.test/sale');
    expect(location.search).toMatch(new RegExp(`^\\?x=1&y=2&${ATTRIBUTION_PARAM}=[\\w-]+\\.[\\w-]{22}$`));
    expect(location.hash).toBe('#top');
  });

  it('counts every click and the first per recipient once', async () => {
    // A message of its own, counted under its own tag: the other tests' clicks do not count here.
    const own = await trackedMessage({ test: 'clicks' });
    for (let i = 0; i < 2; i++) expect((await get(own.clickLink)).status).toBe(302);
    const totals = await totalsWhen((t) => t.clicked === 2, 'test=clicks');
    expect(totals).toMatchObject({ clicked: 2, clicked_unique: 1 });
    const message = await call(runtime, 'GET', `/v1/messages/${own.id}`);
    const clicks = message.body.events.filter((e: { type: string }) => e.type === 'clicked');
    expect(clicks).toHaveLength(2);
    expect(clicks[0].detail).toMatchObject({ link: 'https://shop.test/sale?x=1&y=2#top', user_agent: BROWSER });
  });

  it('answers a tampered or forged token with a 404 and no Location', async () => {
    const token = clickLink.slice(clickLink.lastIndexOf('/') + 1);
    const flipped = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`;
    for (const url of [`${runtime.apiUrl}/t/c/${flipped}`, `${runtime.apiUrl}/t/c/eyJrIjoiYyJ9.AAAAAAAAAAAAAAAAAAAAAA`]) {
      const response = await get(url);
      expect(response.status).toBe(404);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    }
  });
});

describe('open tracking', () => {
  it('answers the pixel as a 1x1 GIF and counts the open', async () => {
    expect(pixelLink.startsWith(`${runtime.apiUrl}/t/o/`)).toBe(true);
    const response = await get(pixelLink);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/gif');
    expect(response.headers.get('cache-control')).toContain('no-store');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    const bad = await get(`${runtime.apiUrl}/t/o/not.a-token`);
    expect(bad.status).toBe(200);
    expect(Buffer.from(await bad.arrayBuffer()).equals(bytes)).toBe(true);
    expect(await totalsWhen((t) => t.opened === 1)).toMatchObject({ opened: 1, opened_unique: 1 });
  });
});

describe('conversions', () => {
  it('records a conversion reported with the mr_cv token, once per id, with its value in reports', async () => {
    const location = new URL((await get(clickLink)).headers.get('location') ?? '');
    const token = location.searchParams.get(ATTRIBUTION_PARAM);
    const first = await call(runtime, 'POST', '/v1/conversions', { token, value: 25.5, currency: 'EUR', id: 'order-1' });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({
      message_id: messageId,
      recipient: 'ann@example.test',
      conversion_id: 'order-1',
      value: 25.5,
      currency: 'EUR',
    });
    expect((await call(runtime, 'POST', '/v1/conversions', { token, value: 25.5, currency: 'EUR', id: 'order-1' })).status).toBe(202);
    const totals = await totalsWhen((t) => t.converted === 1);
    expect(totals).toMatchObject({ converted: 1, converted_value: { EUR: 25.5 } });
    const daily = await call(runtime, 'GET', `/v1/reports/daily?from=${day()}&to=${day()}`);
    expect(daily.body.totals).toMatchObject({ converted: 1, converted_value: { EUR: 25.5 } });
  });

  it('refuses a forged token as not found, and invalid values naming the field', async () => {
    const forged = await call(runtime, 'POST', '/v1/conversions', { token: 'eyJrIjoiYSJ9.AAAAAAAAAAAAAAAAAAAAAA', value: 1 });
    expect(forged.status).toBe(404);
    const invalid = await call(runtime, 'POST', '/v1/conversions', { token: 'x', value: -1, currency: 'euro' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['currency', 'value']);
  });
});

describe('unsubscribe', () => {
  it('the GET page changes nothing; a one-click POST to the List-Unsubscribe URL unsubscribes at once, recorded and counted', async () => {
    // The headers a campaign message to list-1 carries, made with the runtime's own key.
    const signer = createLinkSigner(Buffer.from(runtime.env[ENV.linkSecret]!, 'base64'));
    const headers = listUnsubscribeHeaders(
      { baseUrl: runtime.apiUrl, signer, tenant: 'dev', messageId, recipient: 'ann@example.test' },
      'list-1',
    );
    const url = /^<([^>]+)>/.exec(headers['List-Unsubscribe']!)![1]!;
    const store = new DynamoUnsubscribeStore(runtime.dynamo, runtime.env[TABLE_ENV.unsubscribes]!);

    const page = await get(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('ann@example.test');
    expect((await store.findMany('dev', 'list-1', ['ann@example.test'])).size).toBe(0);

    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);
    const entry = (await store.findMany('dev', 'list-1', ['ann@example.test'])).get('ann@example.test');
    expect(entry).toMatchObject({ tenant: 'dev', email: 'ann@example.test', listId: 'list-1', messageId });
    const message = await call(runtime, 'GET', `/v1/messages/${messageId}`);
    expect(message.body.events.filter((e: { type: string }) => e.type === 'unsubscribed')).toHaveLength(1);
    expect(await totalsWhen((t) => t.unsubscribed === 1)).toMatchObject({ unsubscribed: 1 });
  });
});
