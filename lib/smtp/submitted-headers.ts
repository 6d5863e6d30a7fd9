/**
 * Reads what mailroom records and completes from a submitted header block: From, To, Cc,
 * Subject, Message-ID and whether there is a Date. mailparser decodes the fields (encoded
 * words, groups, folding); only the header block is given to it, never the body.
 */
import { simpleParser, type AddressObject, type EmailAddress } from 'mailparser';
import { hasControlCharacter, normalizeAddress, type Mailbox } from '../domain/address.ts';
import { UnprocessableError } from '../domain/errors.ts';
import { MAX_SUBJECT } from '../domain/send-request.ts';
import type { SubmittedHeaders } from '../use-cases/accept-submission.ts';

type AddressValue = AddressObject | AddressObject[] | undefined;

function flatten(list: EmailAddress[]): EmailAddress[] {
  return list.flatMap((entry) => (entry.group ? flatten(entry.group) : [entry]));
}

/** The entries of an address header, groups opened. */
function entries(value: AddressValue): EmailAddress[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return flatten(objects.flatMap((o) => o.value));
}

/** The valid mailboxes of an address header; invalid ones are left out of the record (the bytes keep them). */
function mailboxes(value: AddressValue): Mailbox[] {
  const seen = new Set<string>();
  const result: Mailbox[] = [];
  for (const entry of entries(value)) {
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

const REPLACEMENT = '\ufffd';

/**
 * The first recorded header whose decoded text holds a replacement character that the block does
 * not: an encoded word whose bytes are not text in its charset (`=?UTF-8?B?6Q==?=`).
 */
function undecodable(block: Buffer, parsed: { subject?: string | undefined; from?: AddressValue; to?: AddressValue; cc?: AddressValue }) {
  if (block.toString('utf8').includes(REPLACEMENT)) return undefined;
  const texts: [string, string | undefined][] = [
    ['Subject', parsed.subject],
    ...(['From', 'To', 'Cc'] as const).flatMap((name) =>
      entries(parsed[name.toLowerCase() as 'from' | 'to' | 'cc']).map((e): [string, string | undefined] => [name, e.name]),
    ),
  ];
  return texts.find(([, text]) => text?.includes(REPLACEMENT))?.[0];
}

/**
 * Parses the header block of a submitted message.
 * @throws UnprocessableError when a recorded header does not decode to valid text.
 */
export async function parseSubmittedHeaders(block: Buffer): Promise<SubmittedHeaders> {
  const parsed = await simpleParser(block, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
  const broken = undecodable(block, parsed);
  if (broken) throw new UnprocessableError('invalid_message', `The ${broken} header does not decode to valid text.`);
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
