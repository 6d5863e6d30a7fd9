/**
 * Reads what mailroom records and completes from a submitted header block: From, To, Cc,
 * Subject, Message-ID and whether there is a Date. mailparser decodes the fields (encoded
 * words, groups, folding); only the header block is given to it, never the body.
 */
import { simpleParser, type AddressObject, type EmailAddress } from 'mailparser';
import { hasControlCharacter, normalizeAddress, type Mailbox } from '../domain/address.ts';
import { MAX_SUBJECT } from '../domain/send-request.ts';
import type { SubmittedHeaders } from '../use-cases/accept-submission.ts';

function flatten(list: EmailAddress[]): EmailAddress[] {
  return list.flatMap((entry) => (entry.group ? flatten(entry.group) : [entry]));
}

/** The valid mailboxes of an address header; invalid ones are left out of the record (the bytes keep them). */
function mailboxes(value: AddressObject | AddressObject[] | undefined): Mailbox[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const seen = new Set<string>();
  const result: Mailbox[] = [];
  for (const entry of flatten(objects.flatMap((o) => o.value))) {
    const address = normalizeAddress(entry.address ?? '');
    if (!address || seen.has(address)) continue;
    seen.add(address);
    const name = entry.name?.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
    result.push(name ? { name, address } : { address });
  }
  return result;
}

/** A printable, bounded copy of a decoded value, for the record only. */
function printable(value: string, max: number): string {
  return value
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, max);
}

/** Parses the header block of a submitted message. */
export async function parseSubmittedHeaders(block: Buffer): Promise<SubmittedHeaders> {
  const parsed = await simpleParser(block, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
  const messageId = parsed.messageId?.trim();
  return {
    from: mailboxes(parsed.from),
    to: mailboxes(parsed.to),
    cc: mailboxes(parsed.cc),
    subject: printable(parsed.subject ?? '', MAX_SUBJECT),
    // A Message-ID the record cannot hold safely is treated as missing (mailroom's own is added).
    ...(messageId && messageId.length <= 998 && !hasControlCharacter(messageId) && { messageId }),
    hasDate: parsed.headers.has('date'),
  };
}
