/**
 * Email address parsing and normalisation. Local parts are kept as written (RFC 5321 says
 * they may be case-sensitive); domains are compared in lower case, IDNs in their ASCII form.
 */
import { domainToASCII } from 'node:url';
import { ValidationError } from './errors.ts';

/** A parsed mailbox: optional display name and the address itself. */
export interface Mailbox {
  name?: string;
  address: string;
}

// dot-atom local part (RFC 5322 atext, UTF-8 letters allowed for SMTPUTF8) or a quoted string.
const ATEXT = "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]";
const DOT_ATOM = new RegExp(`^${ATEXT}+(?:\\.${ATEXT}+)*$`, 'u');
const QUOTED = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e\u0080-\uffff]|\\[\x20-\x7e])*"$/u;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const URL_DELIMITER = /[\u0000-\u002c\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007f]/;
// `"Quoted name" <addr>` or `Name <addr>` on trimmed input. Each part has exactly one way to
// match, so the time is linear in the input (no ambiguous runs of spaces to backtrack over);
// the address may hold a quoted local part with `<` or `>` in it.
const NAME_ADDR = /^(?:"((?:[^"\\]|\\.)*)"\s*|([^<>"]*))<((?:"(?:[^"\\]|\\.)*"|[^<>"])+)>$/su;

/** Whether a string holds a control character (CR, LF, NUL…), which no header may carry. */
export function hasControlCharacter(value: string): boolean {
  return CONTROL.test(value);
}

// What may not appear in header text: C0 controls, DEL, C1 controls (NEL among them) and the
// Unicode line and paragraph separators, each of which some parser takes for a line end.
const HEADER_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// An RFC 2047 encoded word, `=?charset?B|Q?text?=`, which mail clients decode for display.
const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/** The bytes an encoded word stands for. */
function encodedWordBytes(encoding: string, text: string): Buffer {
  if (encoding === 'B' || encoding === 'b') return Buffer.from(text, 'base64');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const hex = text[i] === '=' ? /^[0-9A-Fa-f]{2}$/.exec(text.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else bytes.push(text[i] === '_' ? 0x20 : text.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

/**
 * Whether `value` may go into a header: no control character (C0, DEL, C1), no U+2028 or
 * U+2029, and no encoded word (`=?UTF-8?B?…?=`) that decodes to one, since the recipient's
 * mail client would show the decoded text. `allowTab` lets tabs through (folding white space).
 */
export function isHeaderSafe(value: string, allowTab = false): boolean {
  const text = allowTab ? value.replace(/\t/g, ' ') : value;
  if (HEADER_UNSAFE.test(text)) return false;
  for (const [, , encoding, word] of text.matchAll(ENCODED_WORD)) {
    const bytes = encodedWordBytes(encoding ?? 'Q', word ?? '');
    // Control bytes are the same in every ASCII-compatible charset; UTF-8 can also hide C1 and
    // the separators.
    if (bytes.some((b) => (b < 0x20 && !(allowTab && b === 0x09)) || b === 0x7f)) return false;
    if (HEADER_UNSAFE.test(bytes.toString('utf8').replace(/\t/g, allowTab ? ' ' : '\t'))) return false;
  }
  return true;
}

/** ASCII form of a domain, or undefined when it is not a valid host name with a dot. */
export function asciiDomain(domain: string): string | undefined {
  if (domain.length === 0 || domain.length > 253 || domain.endsWith('.')) return undefined;
  // domainToASCII parses a URL host: it would cut `example.com/x`, `?x`, `#x` or `\x` down to
  // `example.com`. Only letters, digits, hyphens and dots (ASCII or not) may reach it.
  if (URL_DELIMITER.test(domain)) return undefined;
  const ascii = domainToASCII(domain.toLowerCase());
  if (!ascii || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2) return undefined;
  if (!labels.every((label) => LABEL.test(label))) return undefined;
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return undefined;
  return ascii;
}

/**
 * Validates a bare address (`local@domain`) and returns it normalised: local part as given,
 * domain in lower-case ASCII. Returns undefined when it is not a deliverable address.
 */
export function normalizeAddress(input: string): string | undefined {
  const value = input.trim();
  if (value.length > 320 || hasControlCharacter(value)) return undefined;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return undefined;
  const local = value.slice(0, at);
  const domain = asciiDomain(value.slice(at + 1));
  if (!domain || local.length > 64) return undefined;
  if (DOT_ATOM.test(local)) return `${local}@${domain}`;
  if (!QUOTED.test(local)) return undefined;
  return `${canonicalQuoted(local)}@${domain}`;
}

/**
 * One spelling of a quoted local part (RFC 5321 §4.1.2): `"ann"` is `ann`, `"a\nn"` is `"ann"`,
 * so that the same mailbox written two ways is one recipient and meets the same suppression.
 */
function canonicalQuoted(quoted: string): string {
  const text = quoted.slice(1, -1).replace(/\\(.)/g, '$1');
  if (DOT_ATOM.test(text)) return text;
  return `"${text.replace(/(["\\])/g, '\\$1')}"`;
}

/** The message of a refused header text: what {@link isHeaderSafe} does not let through. */
export const HEADER_UNSAFE_MESSAGE =
  'must not contain control characters or line breaks (CR, LF, NUL, U+2028…), also not inside an encoded word (=?…?=)';

/**
 * Parses `address`, `Name <address>` or `"Quoted, Name" <address>`.
 * Returns undefined when the address is invalid, anything is left over, or the text is not
 * safe in a header ({@link isHeaderSafe}).
 */
export function parseMailbox(input: string): Mailbox | undefined {
  if (!isHeaderSafe(input)) return undefined;
  const match = NAME_ADDR.exec(input.trim());
  if (!match) {
    const address = normalizeAddress(input);
    return address ? { address } : undefined;
  }
  const address = normalizeAddress(match[3] ?? '');
  if (!address) return undefined;
  const quoted = match[1]?.replace(/\\(.)/g, '$1');
  const name = (quoted ?? match[2] ?? '').trim();
  return name ? { name, address } : { address };
}

/** Why `input` is not a mailbox, in words for a 400 answer; undefined when it is one. */
export function mailboxProblem(input: string): string | undefined {
  if (parseMailbox(input)) return undefined;
  return isHeaderSafe(input) ? 'is not a valid email address' : HEADER_UNSAFE_MESSAGE;
}

/** Whether the part before the `@` of a normalised address is ASCII (no SMTPUTF8 needed). */
export function hasAsciiLocalPart(address: string): boolean {
  return /^[\x20-\x7e]*$/.test(address.slice(0, address.lastIndexOf('@')));
}

/**
 * Whether a normalised address reaches the relay as written. nodemailer reads envelope
 * addresses as it reads header addresses: in a quoted local part it turns `<` and `>` into
 * spaces, drops spaces at either end and loses escaped quotes and backslashes, which would
 * deliver to another mailbox.
 */
export function isRelayable(address: string): boolean {
  const local = address.slice(0, address.lastIndexOf('@'));
  return !local.startsWith('"') || /^"[^"\\<> ](?:[^"\\<>]*[^"\\<> ])?"$/.test(local);
}

/** Formats a mailbox back into a header value; the display name is quoted when needed. */
export function formatMailbox(mailbox: Mailbox): string {
  if (!mailbox.name) return mailbox.address;
  const safe = /^[\p{L}\p{N} !#$%&'*+/=?^_`{|}~-]*$/u.test(mailbox.name);
  const name = safe ? mailbox.name : `"${mailbox.name.replace(/(["\\])/g, '\\$1')}"`;
  return `${name} <${mailbox.address}>`;
}

/** The domain part of a normalised address. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/** The address named by a path parameter (URL-encoded or not), normalised. Throws ValidationError. */
export function pathAddress(raw: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    decoded = raw;
  }
  const email = normalizeAddress(decoded);
  if (!email) throw new ValidationError('The address is invalid.', [{ field: 'email', message: 'is not a valid email address' }]);
  return email;
}
