/**
 * The header block of a submitted message, as bytes: where it ends, its fields, whether it may
 * be taken, and the block without the fields mailroom drops. Every other byte stays as the
 * client sent it.
 */
import { isUtf8 } from 'node:buffer';
import { MAILROOM_ID_HEADER } from '../domain/message.ts';

/** Most bytes of a header block; a message whose headers run longer is refused. */
export const MAX_HEADER_BYTES = 256 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/**
 * Index just past the blank line that ends the header block (CRLF or bare LF line ends), or
 * -1 when `buffer` does not hold it yet. A message starting with a blank line has no headers (0
 * is never returned: the blank line itself is part of the block).
 */
export function headerBlockEnd(buffer: Uint8Array): number {
  if (buffer[0] === LF) return 1;
  if (buffer[0] === CR && buffer[1] === LF) return 2;
  for (let at = buffer.indexOf(LF); at !== -1 && at < buffer.length - 1; at = buffer.indexOf(LF, at + 1)) {
    if (buffer[at + 1] === LF) return at + 2;
    if (buffer[at + 1] === CR && buffer[at + 2] === LF) return at + 3;
  }
  return -1;
}

/** One header field: its name (as written, empty for a malformed line) and its bytes, continuation lines and line ends included. */
export interface HeaderField {
  name: string;
  bytes: Buffer;
}

/** The fields of a header block, in order; the blank line that ends the block is not a field. */
export function headerFields(block: Buffer): HeaderField[] {
  const fields: { name: string; start: number; end: number }[] = [];
  let start = 0;
  while (start < block.length) {
    const lf = block.indexOf(LF, start);
    const end = lf === -1 ? block.length : lf + 1;
    const line = block.subarray(start, end);
    const blank = line.length <= 2 && (line[0] === LF || (line[0] === CR && line[1] === LF));
    if (blank) break;
    const last = fields[fields.length - 1];
    if ((line[0] === 0x20 || line[0] === 0x09) && last) {
      last.end = end;
    } else {
      const colon = line.indexOf(0x3a);
      fields.push({ name: colon > 0 ? line.subarray(0, colon).toString('latin1').trim() : '', start, end });
    }
    start = end;
  }
  return fields.map((f) => ({ name: f.name, bytes: block.subarray(f.start, f.end) }));
}

/**
 * Fields a message may carry at most once (RFC 5322 section 3.6), Bcc aside (mailroom removes
 * it). With two of one, the checks and the record would see one and a recipient's mail client
 * (or a DKIM signature, which covers the last) perhaps the other.
 */
const SINGLE_FIELDS = ['Date', 'From', 'Sender', 'Reply-To', 'To', 'Cc', 'Message-ID', 'In-Reply-To', 'References', 'Subject'];
const SINGLE_BY_KEY = new Map(SINGLE_FIELDS.map((name) => [name.toLowerCase(), name]));

/** A field name fit to quote in a reply. */
const PRINTABLE_NAME = /^[!-9;-~]{1,76}$/;

/**
 * Why a submitted header block cannot be taken as written, as the text of the reply; undefined
 * when it can. Refused: a CR or LF that is not part of a CRLF (parsers disagree on where such a
 * line ends, so a header could hide in it), a field that is not UTF-8 (it could only be shown
 * with replacement characters), and a second field of one that may appear once.
 */
export function headerBlockProblem(block: Buffer): string | undefined {
  for (let at = block.indexOf(LF); at !== -1; at = block.indexOf(LF, at + 1)) {
    if (block[at - 1] !== CR) return 'A header line ends in a bare LF: header lines must end with CRLF';
  }
  for (let at = block.indexOf(CR); at !== -1; at = block.indexOf(CR, at + 1)) {
    if (block[at + 1] !== LF) return 'A header line ends in a bare CR: header lines must end with CRLF';
  }
  const seen = new Set<string>();
  for (const { name, bytes } of headerFields(block)) {
    if (!isUtf8(bytes)) return PRINTABLE_NAME.test(name) ? `The ${name} header is not valid UTF-8` : 'A header is not valid UTF-8';
    const single = SINGLE_BY_KEY.get(name.toLowerCase());
    if (!single) continue;
    if (seen.has(single)) return `The message has more than one ${single} header`;
    seen.add(single);
  }
  return undefined;
}

const MAILROOM_ID_KEY = MAILROOM_ID_HEADER.toLowerCase();

/**
 * Whether a submitted field is left out of the message mailroom relays: `Bcc`, so that blind
 * copies stay blind whatever the client wrote; `X-SES-*`, which Amazon SES acts on (configuration
 * set, message tags, identity ARNs), so that no tenant picks another's; and MAILROOM_ID_HEADER,
 * which mailroom adds itself.
 */
export function isDroppedField(name: string): boolean {
  const key = name.toLowerCase();
  return key === 'bcc' || key === MAILROOM_ID_KEY || key.startsWith('x-ses-');
}

/**
 * The block without the fields isDroppedField names, folded or not; the other fields and the
 * closing blank line are kept byte for byte.
 */
export function withoutDroppedFields(block: Buffer): Buffer {
  const fields = headerFields(block);
  if (!fields.some((f) => isDroppedField(f.name))) return block;
  const kept = fields.filter((f) => !isDroppedField(f.name)).map((f) => f.bytes);
  const fieldBytes = fields.reduce((n, f) => n + f.bytes.length, 0);
  return Buffer.concat([...kept, block.subarray(fieldBytes)]);
}
