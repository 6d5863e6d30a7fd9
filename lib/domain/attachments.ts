/**
 * Attachments of a send request, and uploads of files too large to send inline. An attachment
 * is given either with its bytes in base64 (`content`) or by the id of an upload
 * (`attachment_id`, POST /v1/attachments); either way its bytes are stored apart from the
 * message record and read again when the message is composed.
 */
import * as z from 'zod';
import { MailroomError, type FieldProblem } from './errors.ts';
import { filenameProblem } from './file-names.ts';

/** Most attachments in one message. */
export const MAX_ATTACHMENTS = 100;
/** Largest message mailroom composes, in bytes once encoded: what Amazon SES sends (40 MB), and the SMTP service's SIZE. */
export const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;
/** Largest upload: one file of this size still composes into a message under MAX_MESSAGE_BYTES (base64 adds a third). */
export const MAX_UPLOAD_BYTES = 28 * 1024 * 1024;
/** Longest content id, in characters. */
export const MAX_CONTENT_ID = 100;

/** How a part is shown: as a file to open, or within the message (an image the html refers to as `cid:`). */
export type Disposition = 'attachment' | 'inline';

interface AttachmentFields {
  /** Absent for an upload sent under the name it was created with. */
  filename?: string;
  /** Media type as given; the file name decides it when absent. */
  contentType?: string;
  /** The part's Content-ID, without angle brackets. */
  contentId?: string;
  disposition: Disposition;
}

/** An attachment as a send request gives it: its bytes, or the id of an upload. */
export type AttachmentRequest =
  | (AttachmentFields & { source: 'content'; filename: string; content: Uint8Array })
  | (AttachmentFields & { source: 'upload'; uploadId: string });

/** An attachment as the message record keeps it: where its bytes are, and how the part is labelled. */
export interface StoredAttachment {
  /** Key of its bytes in the attachment store. */
  key: string;
  filename: string;
  contentType: string;
  /** Bytes, decoded. */
  size: number;
  disposition: Disposition;
  contentId?: string;
}

/**
 * 400: an attachment names an upload that cannot be sent: none of this tenant's
 * (`attachment_not_found`), one whose bytes never arrived (`attachment_not_uploaded`), or one
 * too old to outlive delivery (`attachment_expired`). `details` names the attachment.
 */
export class AttachmentRefusedError extends MailroomError {
  constructor(code: 'attachment_not_found' | 'attachment_not_uploaded' | 'attachment_expired', message: string, problem: FieldProblem) {
    super(400, code, message, [problem]);
  }
}

/** 413: with its attachments, the message would be larger than a relay takes. */
export class MessageTooLargeError extends MailroomError {
  constructor(estimatedBytes: number) {
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    super(
      413,
      'message_too_large',
      `With its attachments the message would be about ${mb(estimatedBytes)} once encoded (base64 makes files a third larger); ` +
        `mailroom sends messages of at most ${mb(MAX_MESSAGE_BYTES)}, as Amazon SES does.`,
      { limit_bytes: MAX_MESSAGE_BYTES, estimated_bytes: estimatedBytes },
    );
  }
}

/** One file of a send request's `attachments`, as JSON (readAttachments checks the rest). */
export const ATTACHMENT = z.strictObject({
  filename: z.string().optional().describe('required with `content`; with `attachment_id`, the upload’s name unless given'),
  content: z.string().optional().describe('the file’s bytes in strict base64 (line breaks allowed); this or `attachment_id`'),
  attachment_id: z.string().optional().describe('the id of an upload of the account whose bytes were PUT (`POST /v1/attachments`)'),
  content_type: z.string().optional().describe('a media type; by default the upload’s, else what the file name stands for'),
  content_id: z.string().optional().describe('makes it an inline part the html refers to as `cid:<content_id>`'),
  disposition: z.enum(['attachment', 'inline']).optional().describe('`inline` by default with a content_id, else `attachment`'),
});

/** The `attachments` field of a send request. */
export const ATTACHMENTS = z
  .array(ATTACHMENT)
  .max(MAX_ATTACHMENTS, `at most ${MAX_ATTACHMENTS} attachments`)
  .describe('files, given in base64 or by upload id; the files SES refuses to send (executables, scripts…) are refused');

// A media type, with parameters (`text/plain; charset=utf-8`): tokens and quoted strings only.
const TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|"[^"\\\\\\x00-\\x1f\\x7f]*"))*$`);
// RFC 5322 atext and dots: what a Content-ID holds between its angle brackets.
const CONTENT_ID = new RegExp(`^[A-Za-z0-9!#$%&'*+/=?^_\`{|}~.@-]{1,${MAX_CONTENT_ID}}$`);
/** Upload ids: 26 characters of Crockford base32, like message ids. */
export const UPLOAD_ID = /^[0-9A-Z]{26}$/;

/** Why a media type is not acceptable for an attachment; undefined when it is. */
export function contentTypeProblem(type: string): string | undefined {
  if (type.length > 255 || !MEDIA_TYPE.test(type)) return 'must be a media type such as application/pdf or text/plain; charset=utf-8';
  if (/^multipart\//i.test(type)) return 'must be the type of one file: multipart types hold parts';
  return undefined;
}

/**
 * The bytes of strict base64: the standard alphabet with its padding, nothing else but line
 * breaks (as the `base64` tool writes them). Undefined for anything else: URL-safe letters,
 * missing padding, stray characters or bits that a decoder would silently drop.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/\r?\n/g, '');
  const bytes = Buffer.from(compact, 'base64');
  // Node's decoder skips what it cannot read: only an exact round trip is strict base64.
  return bytes.toString('base64') === compact ? bytes : undefined;
}

type Attachment = z.output<typeof ATTACHMENT>;

/** Reads one attachment entry; problems are named by `at` (`attachments[2]`). */
function readOne(entry: Attachment, at: string, problems: FieldProblem[]): AttachmentRequest | undefined {
  const before = problems.length;
  const field = (name: string, message: string) => problems.push({ field: `${at}.${name}`, message });
  if (entry.content !== undefined && entry.attachment_id !== undefined) {
    problems.push({ field: at, message: 'give content or attachment_id, not both' });
  } else if (entry.content === undefined && entry.attachment_id === undefined) {
    problems.push({ field: at, message: 'give the file as content (base64) or attachment_id (POST /v1/attachments)' });
  }
  if (entry.filename !== undefined) {
    const problem = filenameProblem(entry.filename);
    if (problem) field('filename', problem);
  } else if (entry.content !== undefined) field('filename', 'is required');
  if (entry.content_type !== undefined) {
    const problem = contentTypeProblem(entry.content_type);
    if (problem) field('content_type', problem);
  }
  if (entry.content_id !== undefined && !CONTENT_ID.test(entry.content_id)) {
    field('content_id', `must be 1 to ${MAX_CONTENT_ID} letters, digits or .@!#$%&'*+/=?^_\`{|}~- without spaces or angle brackets`);
  }
  if (entry.attachment_id !== undefined && !UPLOAD_ID.test(entry.attachment_id)) {
    field('attachment_id', 'is not an attachment id (POST /v1/attachments answers one)');
  }
  const content = entry.content === undefined ? undefined : decodeBase64(entry.content);
  if (entry.content !== undefined && !content) {
    field('content', 'is not valid base64: use the standard alphabet (A-Z a-z 0-9 + /) with = padding');
  }
  if (problems.length > before) return undefined;
  const fields = {
    ...(entry.content_type !== undefined && { contentType: entry.content_type }),
    ...(entry.content_id !== undefined && { contentId: entry.content_id }),
    disposition: entry.disposition ?? (entry.content_id !== undefined ? 'inline' : 'attachment'),
  } as const;
  return content
    ? { source: 'content', filename: entry.filename!, content, ...fields }
    : { source: 'upload', uploadId: entry.attachment_id!, ...(entry.filename !== undefined && { filename: entry.filename }), ...fields };
}

/** The attachments of a send request, decoded, and the problems of those that are not acceptable. */
export function readAttachments(entries: readonly Attachment[]): { problems: FieldProblem[]; requests: AttachmentRequest[] } {
  const problems: FieldProblem[] = [];
  const requests: AttachmentRequest[] = [];
  const contentIds = new Set<string>();
  entries.forEach((entry, index) => {
    const at = `attachments[${index}]`;
    const request = readOne(entry, at, problems);
    const cid = request?.contentId?.toLowerCase();
    if (cid !== undefined && contentIds.has(cid)) {
      problems.push({ field: `${at}.content_id`, message: 'is used by another attachment of this message' });
    } else if (request) {
      if (cid !== undefined) contentIds.add(cid);
      requests.push(request);
    }
  });
  return { problems, requests };
}

/** Bytes of `size` bytes in base64 with a CRLF after every 76 characters, as MIME writes them. */
function base64Lines(size: number): number {
  const encoded = 4 * Math.ceil(size / 3);
  return encoded + 2 * Math.ceil(encoded / 76);
}

// Per part: its boundary line and headers, with a 255-character name encoded twice (RFC 2231).
const PART_OVERHEAD = 6 * 1024;
// The message headers: addresses, subject, up to 50 custom headers, List-Unsubscribe, DKIM.
const HEADER_OVERHEAD = 64 * 1024;

/**
 * What a message with `bodyBytes` of text and html and attachments of `sizes` bytes can grow
 * to once composed: never less than the real size. Quoted-printable bodies may triple, and
 * every attachment is base64 (a third more, and line breaks).
 */
export function composedSizeEstimate(bodyBytes: number, sizes: readonly number[]): number {
  return HEADER_OVERHEAD + 3 * bodyBytes + sizes.reduce((sum, size) => sum + PART_OVERHEAD + base64Lines(size), 0);
}
