/** Signed public links: only tokens mailroom signed with its key are taken. */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createLinkSigner,
  LINK_PATHS,
  linkUrl,
  listUnsubscribeHeaders,
  MAX_TOKEN_LENGTH,
  MIN_LINK_KEY_BYTES,
  unsubscribeUrl,
  type LinkContext,
  type LinkPayload,
} from '../../../lib/domain/links.ts';

const key = Buffer.alloc(32, 1);
const signer = createLinkSigner(key);
const ctx: LinkContext = {
  baseUrl: 'https://mail.example.com',
  signer,
  tenant: 'acme',
  messageId: '01M8HC6RCH8RQF05HS4EE24JD1',
  recipient: 'ann@example.org',
};
const click: LinkPayload = { k: 'c', t: 'acme', m: ctx.messageId, r: 'ann@example.org', u: 'https://shop.example/sale?x=1&y=2#top' };

const payloads = fc.oneof(
  fc.record({
    k: fc.constant('c' as const),
    t: fc.string({ minLength: 1 }),
    m: fc.string({ minLength: 1 }),
    r: fc.string({ minLength: 1 }),
    u: fc.webUrl(),
  }),
  fc.record({
    k: fc.constantFrom('o' as const, 'a' as const),
    t: fc.string({ minLength: 1 }),
    m: fc.string({ minLength: 1 }),
    r: fc.string({ minLength: 1 }),
  }),
  fc.record(
    {
      k: fc.constant('u' as const),
      t: fc.string({ minLength: 1 }),
      m: fc.string({ minLength: 1 }),
      r: fc.string({ minLength: 1 }),
      l: fc.string({ minLength: 1 }),
    },
    { requiredKeys: ['k', 't', 'm', 'r'] },
  ),
) as fc.Arbitrary<LinkPayload>;

describe('createLinkSigner', () => {
  it('verifies what it signed, for every kind of payload', () => {
    fc.assert(
      fc.property(payloads, (payload) => {
        expect(signer.verify(signer.sign(payload))).toEqual(payload);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a token with any one character changed', () => {
    const token = signer.sign(click);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    for (let i = 0; i < token.length; i++) {
      for (const c of alphabet) {
        if (c === token[i]) continue;
        const tampered = token.slice(0, i) + c + token.slice(i + 1);
        expect(signer.verify(tampered), `position ${i} → ${c}`).toBeUndefined();
      }
    }
  });

  it('takes only the canonical spelling of the signature: other last characters that decode to the same bytes are refused', () => {
    const token = signer.sign(click);
    const [body, mac] = token.split('.') as [string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 22 characters carry 132 bits for 128: the last one's low 4 bits are unused, so 16 spellings decode alike.
    const variants = [...alphabet]
      .map((c) => `${mac.slice(0, -1)}${c}`)
      .filter((m) => Buffer.from(m, 'base64url').equals(Buffer.from(mac, 'base64url')));
    expect(variants).toHaveLength(16);
    expect(variants).toContain(mac);
    for (const variant of variants) {
      expect(signer.verify(`${body}.${variant}`), variant).toEqual(variant === mac ? click : undefined);
    }
  });

  it('refuses any byte of the payload changed, even when re-encoded cleanly', () => {
    const token = signer.sign(click);
    const [body, mac] = token.split('.') as [string, string];
    const bytes = Buffer.from(body, 'base64url');
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const changed = Buffer.from(bytes);
        changed[at] = changed[at]! ^ flip;
        expect(signer.verify(`${changed.toString('base64url')}.${mac}`)).toBeUndefined();
      }),
    );
  });

  it('refuses a token signed with another key, and a payload with a signature of another', () => {
    const other = createLinkSigner(Buffer.alloc(32, 2));
    expect(signer.verify(other.sign(click))).toBeUndefined();
    const [body] = signer.sign({ ...click, u: 'https://evil.example/' }).split('.');
    const [, mac] = signer.sign(click).split('.');
    expect(signer.verify(`${body}.${mac}`)).toBeUndefined();
  });

  it('refuses malformed tokens without throwing', () => {
    const good = signer.sign(click);
    const [body, mac] = good.split('.') as [string, string];
    for (const token of [
      '',
      '.',
      'abc',
      `${body}.`,
      `.${mac}`,
      `${body}..${mac}`,
      `${body}.${mac}.x`,
      `${body}.${mac}=`,
      `${body}.${mac.slice(1)}`,
      `${body} .${mac}`,
      `${body}.${mac}\n`,
      good.toUpperCase(),
    ]) {
      expect(signer.verify(token), token).toBeUndefined();
    }
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (token) => void expect(signer.verify(token)).toBeUndefined()));
  });

  it('refuses genuine signatures over bodies that are not a payload', () => {
    const signRaw = (text: string) => {
      const body = Buffer.from(text).toString('base64url');
      return `${body}.${createHmac('sha256', key).update(body).digest().subarray(0, 16).toString('base64url')}`;
    };
    expect(signer.verify(signRaw(JSON.stringify(click)))).toEqual(click);
    for (const text of [
      'not json',
      'null',
      '[]',
      '{"k":"x","t":"a","m":"b","r":"c"}',
      '{"k":"c","t":"a","m":"b","r":"c"}',
      '{"k":"o","t":"","m":"b","r":"c"}',
      '{"k":"u","t":"a","m":"b","r":"c","l":""}',
      '{"k":"u","t":"a","m":"b","r":"c","l":5}',
    ]) {
      expect(signer.verify(signRaw(text)), text).toBeUndefined();
    }
  });

  it('refuses oversized tokens, even genuine ones', () => {
    const long = signer.sign({ ...click, u: `https://shop.example/${'x'.repeat(MAX_TOKEN_LENGTH)}` });
    expect(long.length).toBeGreaterThan(MAX_TOKEN_LENGTH);
    expect(signer.verify(long)).toBeUndefined();
    expect(signer.verify('a'.repeat(1_000_000))).toBeUndefined();
  });

  it('needs a key of at least 32 bytes', () => {
    expect(() => createLinkSigner(Buffer.alloc(MIN_LINK_KEY_BYTES - 1))).toThrow(/at least 32 bytes/);
  });
});

describe('link URLs', () => {
  it('puts each kind under its public path', () => {
    expect(linkUrl(ctx, click)).toMatch(new RegExp(`^https://mail\\.example\\.com${LINK_PATHS.c}[\\w-]+\\.[\\w-]{22}$`));
    expect(linkUrl(ctx, { k: 'o', t: 'acme', m: ctx.messageId, r: ctx.recipient })).toContain('/t/o/');
    expect(linkUrl(ctx, { k: 'a', t: 'acme', m: ctx.messageId, r: ctx.recipient })).toContain('/t/v/');
    const unsubscribe = unsubscribeUrl(ctx, 'list-1');
    expect(signer.verify(unsubscribe.slice(unsubscribe.lastIndexOf('/') + 1))).toEqual({
      k: 'u',
      t: 'acme',
      m: ctx.messageId,
      r: ctx.recipient,
      l: 'list-1',
    });
    const marketing = unsubscribeUrl(ctx);
    expect(signer.verify(marketing.slice(marketing.lastIndexOf('/') + 1))).toEqual({
      k: 'u',
      t: 'acme',
      m: ctx.messageId,
      r: ctx.recipient,
    });
  });

  it('builds RFC 8058 headers with the HTTPS link first and the mailto when configured', () => {
    const headers = listUnsubscribeHeaders(ctx, 'list-1', 'unsubscribe@mail.example.com');
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(headers['List-Unsubscribe']).toMatch(
      /^<https:\/\/mail\.example\.com\/u\/[\w.-]+>, <mailto:unsubscribe@mail\.example\.com\?subject=unsubscribe%20[\w.-]+>$/,
    );
    expect(listUnsubscribeHeaders(ctx, 'list-1')['List-Unsubscribe']).toMatch(/^<https:\/\/[^>]+>$/);
  });
});
