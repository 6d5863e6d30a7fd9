/** The public link routes as API Gateway calls them: redirects, pixels, the unsubscribe page and its forms. */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createTrackHandler } from '../../../lib/handlers/track-handler.ts';
import { formFields } from '../../../lib/handlers/track-handler.ts';
import type { ApiResponse } from '../../../lib/http/response.ts';
import { MAX_TOKEN_LENGTH } from '../../../lib/domain/links.ts';
import { trackHtml } from '../../../lib/domain/tracking.ts';
import { linkSigner, tokenFor, trackDeps } from '../../support/track-fakes.ts';

const MESSAGE = '01M8HC6RCH8RQF05HS4EE24JD1';
let requests = 0;

function event(
  method: string,
  path: string,
  options: { query?: Record<string, string>; body?: string; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query).toString(),
    headers: {
      'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      ...options.headers,
    },
    ...(options.query && { queryStringParameters: options.query }),
    requestContext: {
      accountId: '0',
      apiId: 'test',
      domainName: 'mail.example.com',
      domainPrefix: 'mail',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: '' },
      requestId: `req-${++requests}`,
      routeKey: '$default',
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    ...(options.body !== undefined && { body: options.body }),
    isBase64Encoded: false,
  };
}

function setup(options: Parameters<typeof trackDeps>[0] = {}) {
  const fakes = trackDeps(options);
  const handler = createTrackHandler(fakes.deps);
  const call = (e: APIGatewayProxyEventV2) => handler(e, {} as Context) as Promise<ApiResponse>;
  return { ...fakes, call };
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const listToken = tokenFor({ k: 'u', l: 'list-1' });

function expectGif(response: ApiResponse) {
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('image/gif');
  expect(response.headers['cache-control']).toContain('no-store');
  expect(response.isBase64Encoded).toBe(true);
  const bytes = Buffer.from(response.body!, 'base64');
  expect(bytes.subarray(0, 6).toString('latin1')).toBe('GIF89a');
  expect([bytes.readUInt16LE(6), bytes.readUInt16LE(8)]).toEqual([1, 1]);
}

function expectNotFoundPage(response: ApiResponse) {
  expect(response.statusCode).toBe(404);
  expect(response.headers.location).toBeUndefined();
  expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(response.body).toContain('Link not found');
}

describe('GET /t/c/{token}', () => {
  it('redirects with 302 to the destination with mr_cv, no caching, no referrer', async () => {
    const { call, events } = setup();
    const response = await call(event('GET', `/t/c/${tokenFor({ k: 'c', u: 'https://shop.example/p?id=7' })}`));
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toMatch(/^https:\/\/shop\.example\/p\?id=7&mr_cv=[\w-]+\.[\w-]{22}$/);
    expect(response.headers['cache-control']).toContain('no-store');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(events.events).toMatchObject([{ type: 'clicked', detail: { ipAddress: '203.0.113.9', link: 'https://shop.example/p?id=7' } }]);
  });

  it('answers a tampered or forged token with a 404 page and never a Location', async () => {
    const { call, events } = setup();
    const token = tokenFor({ k: 'c', u: 'https://shop.example/' });
    const tampered = `${token.slice(0, 12)}${token[12] === 'A' ? 'B' : 'A'}${token.slice(13)}`;
    for (const path of [`/t/c/${tampered}`, '/t/c/forged.token', `/t/c/${tokenFor({ k: 'o' })}`, '/t/c/', '/t/x/abc', '/nothing']) {
      expectNotFoundPage(await call(event('GET', path)));
    }
    expect(events.events).toEqual([]);
  });

  it('follows every link trackHtml made; a URL whose token would be too long to follow stays as it was', async () => {
    const { call } = setup();
    const ctx = {
      baseUrl: 'https://mail.example.com',
      signer: linkSigner,
      tenant: 'acme',
      messageId: MESSAGE,
      recipient: 'ann@example.org',
    };
    const tokenLength = (u: string) => tokenFor({ k: 'c', u }).length;
    const urlOf = (n: number) => `https://shop.example/p?q=${'x'.repeat(n)}`;
    // The longest URL whose click token the route still takes.
    let fits = 0;
    while (tokenLength(urlOf(fits + 1)) <= MAX_TOKEN_LENGTH) fits++;
    const longest = urlOf(fits);
    const tooLong = urlOf(fits + 1);
    const huge = urlOf(50_000);
    const html = [longest, tooLong, huge, 'https://shop.example/short'].map((u) => `<a href="${u}">x</a>`).join('');

    const tracked = trackHtml(html, ctx, { clicks: true, opens: false });
    expect(tracked).toContain(`<a href="${tooLong}">x</a>`);
    expect(tracked).toContain(`<a href="${huge}">x</a>`);
    const paths = [...tracked.matchAll(/https:\/\/mail\.example\.com(\/t\/c\/[\w.-]+)/g)].map((m) => m[1]!);
    expect(paths).toHaveLength(2);
    const locations = [];
    for (const path of paths) {
      const response = await call(event('GET', path));
      expect(response.statusCode).toBe(302);
      locations.push(response.headers.location);
    }
    expect(locations.map((l) => l?.replace(/[?&]mr_cv=.*$/, ''))).toEqual([longest, 'https://shop.example/short']);
  });

  it('answers HEAD like GET without recording, and other methods with 405', async () => {
    const { call, events } = setup();
    const path = `/t/c/${tokenFor({ k: 'c', u: 'https://shop.example/' })}`;
    expect((await call(event('HEAD', path))).statusCode).toBe(302);
    expect(events.events).toEqual([]);
    const post = await call(event('POST', path));
    expect(post.statusCode).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });
});

describe('GET /t/o/{token} and /t/v/{token}', () => {
  it('always answers the pixel, recording only genuine opens', async () => {
    const { call, events } = setup();
    expectGif(await call(event('GET', `/t/o/${tokenFor({ k: 'o' })}`)));
    expectGif(await call(event('GET', '/t/o/not.genuine')));
    expectGif(await call(event('GET', `/t/o/${tokenFor({ k: 'c', u: 'https://x.example/' })}`)));
    expect(events.events.map((e) => e.type)).toEqual(['opened']);
  });

  it('records a conversion from the pixel, and still answers the pixel for bad values or tokens', async () => {
    const { call, events } = setup();
    const path = `/t/v/${tokenFor({ k: 'a' })}`;
    expectGif(await call(event('GET', path, { query: { value: '19.99', currency: 'EUR', id: 'order-9' } })));
    expectGif(await call(event('GET', path, { query: { value: '19.99', currency: 'EUR', id: 'order-9' } })));
    expectGif(await call(event('GET', path, { query: { value: '-5' } })));
    expectGif(await call(event('GET', '/t/v/bad.token', { query: { value: '5' } })));
    expect(events.events).toMatchObject([
      { eventId: `${MESSAGE}/converted/ann@example.org/order-9`, detail: { value: 19.99, currency: 'EUR' } },
    ]);
  });

  it('answers the pixel even when recording fails', async () => {
    const { call, events } = setup();
    events.failing = true;
    expectGif(await call(event('GET', `/t/o/${tokenFor({ k: 'o' })}`)));
    expectGif(await call(event('GET', `/t/v/${tokenFor({ k: 'a' })}`)));
  });
});

describe('/u/{token}', () => {
  it('GET shows who and which list, with the buttons, under a strict CSP, and changes nothing', async () => {
    const { call, events, unsubscribes } = setup();
    const response = await call(event('GET', `/u/${listToken}`));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toMatch(
      /^default-src 'none'; style-src 'sha256-[\w+/=]+'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/,
    );
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toContain('ann@example.org');
    expect(response.body).toContain('Weekly &lt;deals&gt; &amp; news');
    expect(response.body).not.toContain('<deals>');
    expect(response.body).toContain('name="scope" value="list"');
    expect(response.body).toContain('name="scope" value="marketing"');
    expect(response.body).not.toMatch(/<script|<img|<link|https?:\/\//i);
    expect(events.events).toEqual([]);
    expect(unsubscribes.entries.size).toBe(0);
  });

  it('POST List-Unsubscribe=One-Click unsubscribes from the list at once', async () => {
    const { call, unsubscribes, events } = setup();
    const response = await call(event('POST', `/u/${listToken}`, { body: 'List-Unsubscribe=One-Click', headers: form }));
    expect(response.statusCode).toBe(200);
    expect([...unsubscribes.entries.values()]).toMatchObject([{ email: 'ann@example.org', listId: 'list-1' }]);
    expect(events.events.map((e) => e.eventId)).toEqual([`${MESSAGE}/unsubscribed/ann@example.org/list`]);
  });

  it('takes the one-click POST as multipart/form-data too', async () => {
    const { call, unsubscribes } = setup();
    const body = '--XyZ\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--XyZ--\r\n';
    const response = await call(
      event('POST', `/u/${listToken}`, { body, headers: { 'content-type': 'multipart/form-data; boundary=XyZ' } }),
    );
    expect(response.statusCode).toBe(200);
    expect(unsubscribes.entries.size).toBe(1);
  });

  it('the page form unsubscribes from all marketing mail, then offers to subscribe again, which works', async () => {
    const { call, unsubscribes, contacts } = setup();
    const out = await call(event('POST', `/u/${listToken}`, { body: 'action=unsubscribe&scope=marketing', headers: form }));
    expect(out.statusCode).toBe(200);
    expect(out.body).toContain('all marketing mail');
    expect(out.body).toContain('name="action" value="resubscribe"><input type="hidden" name="scope" value="marketing"');
    expect([...unsubscribes.entries.values()].map((e) => e.listId)).toEqual([undefined]);
    const back = await call(event('POST', `/u/${listToken}`, { body: 'action=resubscribe&scope=marketing', headers: form }));
    expect(back.statusCode).toBe(200);
    expect(back.body).toContain('subscribed again');
    expect(unsubscribes.entries.size).toBe(0);
    await call(event('POST', `/u/${listToken}`, { body: 'action=unsubscribe&scope=list', headers: form }));
    expect(contacts.statuses.get('acme|list-1|ann@example.org')).toBe('unsubscribed');
  });

  it('refuses unknown actions, forged tokens and oversized bodies', async () => {
    const { call, unsubscribes } = setup();
    expect((await call(event('POST', `/u/${listToken}`, { body: 'action=delete-everything', headers: form }))).statusCode).toBe(400);
    expectNotFoundPage(await call(event('POST', '/u/forged.token', { body: 'List-Unsubscribe=One-Click', headers: form })));
    expectNotFoundPage(await call(event('GET', `/u/${tokenFor({ k: 'o' })}`)));
    expect((await call(event('POST', `/u/${listToken}`, { body: `x=${'a'.repeat(20_000)}`, headers: form }))).statusCode).toBe(413);
    expect(unsubscribes.entries.size).toBe(0);
  });

  it('answers a store failure with a page asking to try again', async () => {
    const { call, unsubscribes } = setup();
    unsubscribes.put = async () => {
      throw new Error('table unavailable');
    };
    const response = await call(event('POST', `/u/${listToken}`, { body: 'List-Unsubscribe=One-Click', headers: form }));
    expect(response.statusCode).toBe(500);
    expect(response.body).toContain('try again');
  });
});

describe('formFields', () => {
  it('reads URL-encoded and multipart bodies, the first value of a name winning', () => {
    expect(formFields('a=1&b=x+y&a=2')).toEqual({ a: '1', b: 'x y' });
    expect(
      formFields('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nline1\r\nline2\r\n--b--', 'multipart/form-data; boundary="b"'),
    ).toEqual({ a: 'line1\r\nline2' });
    expect(formFields('', 'text/plain')).toEqual({});
  });
});
