/**
 * mailroom's public links: click redirects, open pixels, conversion attribution and
 * unsubscribe. Each carries a signed token (HMAC-SHA256 over the payload) so that nobody can
 * forge one: a changed byte is refused, and a click link only ever redirects to the URL
 * mailroom signed (no open redirect).
 *
 * Token: `<base64url(JSON payload)>.<base64url(first 16 bytes of the HMAC)>`; only the canonical
 * base64url spelling of the signature verifies.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a token says; `t` tenant, `m` message id, `r` recipient. */
export type LinkPayload =
  /** A click on `u`. */
  | { k: 'c'; t: string; m: string; r: string; u: string }
  /** An open (the pixel). */
  | { k: 'o'; t: string; m: string; r: string }
  /** Conversion attribution: added to the destination of a click, reported back by the customer's site. */
  | { k: 'a'; t: string; m: string; r: string }
  /** Unsubscribe from list `l` (or, without one, from all of the tenant's marketing mail). */
  | { k: 'u'; t: string; m: string; r: string; l?: string };

export type LinkKind = LinkPayload['k'];

/** Smallest signing key, in bytes. */
export const MIN_LINK_KEY_BYTES = 32;
const MAC_BYTES = 16;
/** Longest token accepted; a click token holds its URL, and URLs may be long. */
export const MAX_TOKEN_LENGTH = 8192;

/** Public paths of the links, under the public base URL. */
export const LINK_PATHS = { c: '/t/c/', o: '/t/o/', a: '/t/v/', u: '/u/' } as const satisfies Record<LinkKind, string>;

/** Query parameter that carries the attribution token on a click's destination URL. */
export const ATTRIBUTION_PARAM = 'mr_cv';

/**
 * `value` as an absolute http(s) URL; undefined for anything else. Tracked links are made only
 * for such URLs, and redirects go only to them.
 */
export function httpUrl(value: string): URL | undefined {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return undefined;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : undefined;
}

export interface LinkSigner {
  sign(payload: LinkPayload): string;
  /** The payload of a genuine token; undefined for anything else (tampered, forged, malformed). */
  verify(token: string): LinkPayload | undefined;
}

const TOKEN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/;

function isPayload(value: unknown): value is LinkPayload {
  if (!value || typeof value !== 'object') return false;
  const p = value as Record<string, unknown>;
  const text = (v: unknown) => typeof v === 'string' && v.length > 0;
  if (!text(p.t) || !text(p.m) || !text(p.r)) return false;
  switch (p.k) {
    case 'c':
      return text(p.u);
    case 'o':
    case 'a':
      return true;
    case 'u':
      return p.l === undefined || text(p.l);
    default:
      return false;
  }
}

/** A signer with `key` (at least MIN_LINK_KEY_BYTES random bytes). */
export function createLinkSigner(key: Buffer): LinkSigner {
  if (key.length < MIN_LINK_KEY_BYTES) throw new Error(`the link signing key must have at least ${MIN_LINK_KEY_BYTES} bytes`);
  const mac = (body: string) => createHmac('sha256', key).update(body).digest().subarray(0, MAC_BYTES);
  return {
    sign(payload) {
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    verify(token) {
      if (token.length > MAX_TOKEN_LENGTH || !TOKEN.test(token)) return undefined;
      const [body = '', signature = ''] = token.split('.');
      // The signature's text is compared, not its decoded bytes: decoding ignores the unused low
      // bits of the last character, so 16 spellings would otherwise pass for one signature.
      const given = Buffer.from(signature, 'latin1');
      const expected = Buffer.from(mac(body).toString('base64url'), 'latin1');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const payload: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
        return isPayload(payload) ? payload : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** What the links of one message for one recipient are built from. */
export interface LinkContext {
  /** Public base URL, no trailing slash, e.g. `https://mail.example.com`. */
  baseUrl: string;
  signer: LinkSigner;
  tenant: string;
  messageId: string;
  recipient: string;
}

/** The public URL of a link of `kind` for the message and recipient. */
export function linkUrl(ctx: LinkContext, payload: LinkPayload): string {
  return `${ctx.baseUrl}${LINK_PATHS[payload.k]}${ctx.signer.sign(payload)}`;
}

/**
 * The public URL of a link, or undefined when its token would be longer than the link routes
 * take (MAX_TOKEN_LENGTH): such a link could never be followed.
 */
export function followableLinkUrl(ctx: LinkContext, payload: LinkPayload): string | undefined {
  const token = ctx.signer.sign(payload);
  return token.length > MAX_TOKEN_LENGTH ? undefined : `${ctx.baseUrl}${LINK_PATHS[payload.k]}${token}`;
}

/** The unsubscribe page of the message's recipient, for list `listId` (else all marketing mail). */
export function unsubscribeUrl(ctx: LinkContext, listId?: string): string {
  return linkUrl(ctx, { k: 'u', t: ctx.tenant, m: ctx.messageId, r: ctx.recipient, ...(listId !== undefined && { l: listId }) });
}

/**
 * RFC 2369 / RFC 8058 headers: `List-Unsubscribe` with the HTTPS link (and a `mailto:` when
 * one is configured) and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
 */
export function listUnsubscribeHeaders(ctx: LinkContext, listId: string | undefined, mailto?: string): Record<string, string> {
  const url = unsubscribeUrl(ctx, listId);
  const targets = [`<${url}>`];
  if (mailto) targets.push(`<mailto:${mailto}?subject=${encodeURIComponent(`unsubscribe ${url.slice(url.lastIndexOf('/') + 1)}`)}>`);
  return { 'List-Unsubscribe': targets.join(', '), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}
