/**
 * mailroom's return path (VERP): the envelope sender of mail relayed through SMTP is an address
 * mailroom owns, `<local>+<token>@<bounce domain>`, so that delivery status notifications and
 * feedback-loop reports come back to mailroom instead of the sender's mailbox, and say which
 * message and recipient they are about.
 *
 * The token is base32 (lower case: some servers fold the case of local parts) of
 * `message id (16 bytes of the ULID) | recipient tag (4 bytes) | HMAC (10 bytes)`, 48 characters.
 * The recipient is never in clear: its tag is an HMAC of the address, matched against the
 * message's recipients when a report comes back. A token whose MAC does not verify is ignored.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { MIN_LINK_KEY_BYTES } from './links.ts';

/** Local part before the `+` (`bounce+<token>@bounces.example.com`). */
export const RETURN_PATH_LOCAL = 'bounce';
/** Label put before a sending domain to make its bounce domain. */
export const BOUNCE_LABEL = 'bounces';

const ID_BYTES = 16;
const TAG_BYTES = 4;
const MAC_BYTES = 10;
/** Characters of a token. */
export const TOKEN_LENGTH = Math.ceil(((ID_BYTES + TAG_BYTES + MAC_BYTES) * 8) / 5);

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** The 16 bytes of a canonical 26-character ULID; undefined for anything else. */
function ulidBytes(id: string): Buffer | undefined {
  if (!/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i.test(id)) return undefined;
  let value = 0n;
  for (const char of id.toUpperCase()) value = value * 32n + BigInt(CROCKFORD.indexOf(char));
  return Buffer.from(value.toString(16).padStart(ID_BYTES * 2, '0'), 'hex');
}

function ulidText(bytes: Buffer): string {
  let value = BigInt(`0x${bytes.toString('hex')}`);
  let text = '';
  for (let i = 0; i < 26; i++) {
    text = CROCKFORD[Number(value % 32n)]! + text;
    value /= 32n;
  }
  return text;
}

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let text = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) text += BASE32[(value << (5 - bits)) & 31];
  return text;
}

function fromBase32(text: string): Buffer | undefined {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text) {
    const digit = BASE32.indexOf(char);
    if (digit < 0) return undefined;
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** What a genuine token says: the message, and the tag of the recipient's address. */
export interface ReturnPathToken {
  messageId: string;
  recipientTag: string;
}

/** Signs and reads return-path tokens. */
export interface ReturnPathSigner {
  /** The token for a message and recipient; undefined when the message id is not a ULID. */
  sign(messageId: string, recipient: string): string | undefined;
  /** What a genuine token says; undefined for anything forged, altered or malformed. */
  verify(token: string): ReturnPathToken | undefined;
  /** The tag of an address, to find the recipient a token names among a message's recipients. */
  recipientTag(address: string): string;
}

/**
 * A signer whose key is derived from `key` (the link-signing key): a separate purpose gets a
 * separate key, so a return-path MAC can never pass for a link's.
 */
export function createReturnPathSigner(key: Buffer): ReturnPathSigner {
  if (key.length < MIN_LINK_KEY_BYTES) throw new Error(`the return-path key must have at least ${MIN_LINK_KEY_BYTES} bytes`);
  const own = createHmac('sha256', key).update('mailroom return path v1').digest();
  const hmac = (...parts: Buffer[]) => {
    const h = createHmac('sha256', own);
    for (const part of parts) h.update(part);
    return h.digest();
  };
  const tag = (address: string) => hmac(Buffer.from('r'), Buffer.from(address.trim().toLowerCase(), 'utf8')).subarray(0, TAG_BYTES);
  const mac = (body: Buffer) => hmac(Buffer.from('m'), body).subarray(0, MAC_BYTES);
  return {
    sign(messageId, recipient) {
      const id = ulidBytes(messageId);
      if (!id) return undefined;
      const body = Buffer.concat([id, tag(recipient)]);
      return base32(Buffer.concat([body, mac(body)]));
    },
    verify(token) {
      const text = token.toLowerCase();
      if (text.length !== TOKEN_LENGTH) return undefined;
      const bytes = fromBase32(text);
      if (!bytes || bytes.length !== ID_BYTES + TAG_BYTES + MAC_BYTES || base32(bytes) !== text) return undefined;
      const body = bytes.subarray(0, ID_BYTES + TAG_BYTES);
      if (!timingSafeEqual(bytes.subarray(ID_BYTES + TAG_BYTES), mac(body))) return undefined;
      return { messageId: ulidText(body.subarray(0, ID_BYTES)), recipientTag: body.subarray(ID_BYTES).toString('hex') };
    },
    recipientTag: (address) => tag(address).toString('hex'),
  };
}

/** The bounce domain of a sending domain: the configured one, else `bounces.<domain>`. */
export function bounceDomain(sendingDomain: string, configured?: string): string {
  return configured ?? `${BOUNCE_LABEL}.${sendingDomain.toLowerCase()}`;
}

/** The return-path address of `token` at `domain`. */
export function returnPathAddress(token: string, domain: string): string {
  return `${RETURN_PATH_LOCAL}+${token}@${domain}`;
}

/** The token of a return-path address (`bounce+<token>@…`), whatever its domain; undefined for other addresses. */
export function returnPathToken(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0) return undefined;
  const local = address.slice(0, at).toLowerCase();
  const prefix = `${RETURN_PATH_LOCAL}+`;
  return local.startsWith(prefix) && local.length === prefix.length + TOKEN_LENGTH ? local.slice(prefix.length) : undefined;
}

/** What a recipient domain is to the return path: the configured bounce domain, the bounce domain of `sending`, or neither (undefined). */
export type BounceDomainMatch = { kind: 'configured' } | { kind: 'sending'; domain: string };

/** Whether `domain` is a bounce domain (whether the sending domain under it is registered is for the caller to check). */
export function matchBounceDomain(domain: string, configured?: string): BounceDomainMatch | undefined {
  const name = domain.toLowerCase().replace(/\.$/, '');
  if (configured && name === configured.toLowerCase()) return { kind: 'configured' };
  const prefix = `${BOUNCE_LABEL}.`;
  return name.startsWith(prefix) && name.split('.').length >= 3 ? { kind: 'sending', domain: name.slice(prefix.length) } : undefined;
}
