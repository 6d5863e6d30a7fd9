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
  if (!DOT_ATOM.test(local) && !QUOTED.test(local)) return undefined;
  return `${local}@${domain}`;
}

/**
 * Parses `address`, `Name <address>` or `"Quoted, Name" <address>`.
 * Returns undefined when the address is invalid or anything is left over.
 */
export function parseMailbox(input: string): Mailbox | undefined {
  if (hasControlCharacter(input)) return undefined;
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
