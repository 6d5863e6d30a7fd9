/**
 * Validation of a send request (`POST /v1/messages`). Every problem is reported with the
 * path of the offending field; nothing with a control character reaches a header. A request
 * gives its subject and body, or a stored template and the data to render it with.
 */
import * as z from 'zod';
import {
  formatMailbox,
  hasAsciiLocalPart,
  HEADER_UNSAFE_MESSAGE,
  isHeaderSafe,
  isRelayable,
  mailboxProblem,
  parseMailbox,
} from './address.ts';
import { ATTACHMENTS, readAttachments, type AttachmentRequest } from './attachments.ts';
import { ValidationError, type FieldProblem } from './errors.ts';
import { parseRequest, zodProblems } from './field-problems.ts';
import { MAILROOM_ID_HEADER, type MessageContent, type TemplateVersion } from './message.ts';
import { isReservedName, RESERVED_NAME_MESSAGE } from './reserved-names.ts';
import { templateDataProblems, type TemplateData } from './template-data.ts';
import { parseRfc3339, SEND_AT_FORMAT_MESSAGE } from './schedule.ts';

/** Most recipients (to + cc + bcc) in one message; SES allows 50. */
export const MAX_RECIPIENTS = 50;
/** Longest subject, in characters (RFC 5322 line limit). */
export const MAX_SUBJECT = 998;
/**
 * Most bytes of text and html together (UTF-8). The bodies are kept in one DynamoDB item, which
 * holds at most 400 KB; larger content goes in an attachment.
 */
export const MAX_BODY_BYTES = 256 * 1024;

/** Headers mailroom writes itself; callers set them through the dedicated fields. */
const RESERVED_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'sender',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'return-path',
  'received',
  'dkim-signature',
  'list-unsubscribe',
  'list-unsubscribe-post',
  MAILROOM_ID_HEADER.toLowerCase(),
]);
/** Amazon SES acts on `X-SES-*` headers (configuration set, message tags, identity ARNs): a tenant must not choose another's. */
const SES_HEADER_PREFIX = 'x-ses-';
/**
 * Valid field names that are also special to JavaScript objects: one copied into an object
 * would set its prototype, or shadow what code reads from it, on the way to the store.
 */
const OBJECT_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const HEADER_NAME = /^[!-9;-~]{1,76}$/;
const TAG_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

const mailboxes = z.union([z.string(), z.array(z.string()).max(MAX_RECIPIENTS, `at most ${MAX_RECIPIENTS} recipients`)]);
const printable = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => isHeaderSafe(v, true), HEADER_UNSAFE_MESSAGE);
// JSON can escape an unpaired surrogate ("\ud800"), which no byte encoding holds: it would be
// stored and sent as a replacement character. (With the u flag \p{Cs} matches only unpaired ones.)
const UNPAIRED_SURROGATE = /\p{Cs}/u;
export const NOT_UNICODE = 'must be valid Unicode text: it holds an unpaired surrogate (such as \\ud800)';
/** Whether `v` holds no unpaired surrogate. */
export const isUnicode = (v: string) => !UNPAIRED_SURROGATE.test(v);
/** Text for a header: printable, and valid Unicode. */
const headerText = (max: number) => printable(max).refine(isUnicode, NOT_UNICODE);
// Internationalised local parts need SMTPUTF8 end to end, which Amazon SES does not offer and
// many relays do not either: refused up front rather than bounced later.
const NON_ASCII_LOCAL =
  'the part before @ must be ASCII: internationalised local parts (SMTPUTF8) are not supported; an internationalised domain is fine';
const UNRELAYABLE_LOCAL =
  'a quoted local part may not hold <, >, " or \\, nor start or end with a space: it would not reach the same mailbox';

/** Why a parsed address cannot be sent to; undefined when it can (campaign contacts and SMTP recipients are checked with it too). */
export function sendProblem(address: string): string | undefined {
  if (!hasAsciiLocalPart(address)) return NON_ASCII_LOCAL;
  return isRelayable(address) ? undefined : UNRELAYABLE_LOCAL;
}

// Numbers the message store can keep: the DynamoDB marshaller refuses integers beyond
// Number.MAX_SAFE_INTEGER, and DynamoDB numbers below 1e-130 in magnitude (other than 0).
const storableNumber = z
  .number()
  .refine(
    (n) => n === 0 || (Math.abs(n) >= 1e-130 && Math.abs(n) <= Number.MAX_SAFE_INTEGER),
    `must be 0 or between 1e-130 and ${Number.MAX_SAFE_INTEGER} in magnitude`,
  );

/** A send request's body as JSON (the checks beyond its types are in parseSendInput). */
export const SEND_REQUEST = z.strictObject({
  from: z.string(),
  to: mailboxes,
  cc: mailboxes.optional(),
  bcc: mailboxes.optional(),
  reply_to: mailboxes.optional(),
  // Required unless a template gives it (see check).
  subject: headerText(MAX_SUBJECT)
    .refine((v) => v.trim().length > 0, 'must not be empty')
    .optional()
    .describe('required unless `template` is given'),
  text: z.string().optional().describe('text, html or both, unless `template` is given; at most 256 KiB together (UTF-8)'),
  html: z.string().optional().describe('text, html or both, unless `template` is given; at most 256 KiB together (UTF-8)'),
  headers: z
    // nodemailer leaves a header with an empty value out of the message.
    .record(
      z.string(),
      headerText(998).refine((v) => v.trim().length > 0, 'must not be empty'),
    )
    .optional()
    .refine((h) => !h || Object.keys(h).length <= 50, 'at most 50 custom headers'),
  tags: z
    .record(z.string(), printable(256))
    .optional()
    .refine((t) => !t || Object.keys(t).length <= 20, 'at most 20 tags'),
  metadata: z
    // Keys must not be empty: DynamoDB refuses an empty name in the stored map (a 500 otherwise).
    .record(
      z.string().min(1).max(64),
      z.union([z.string().max(2048), storableNumber, z.boolean(), z.null()], { error: 'must be a string, a number, true, false or null' }),
    )
    .optional()
    .refine((m) => !m || Object.keys(m).length <= 50, 'at most 50 metadata keys'),
  tracking: z.strictObject({ opens: z.boolean().optional(), clicks: z.boolean().optional() }).optional(),
  /** A stored template instead of subject, html and text; `data` follows template-data.ts. */
  template: z
    .strictObject({
      id: z.string().describe('a stored template of the account (`/v1/templates`)'),
      data: z
        .record(z.string(), z.unknown())
        .optional()
        .describe('what the template is rendered with: strings, numbers, booleans, null or objects of the same (no arrays)'),
    })
    .optional()
    .describe('a stored template and its data, instead of subject, html and text'),
  // Read in `check`; how far ahead it may be is the accepting use case's rule (it knows the time).
  send_at: z
    .string()
    .optional()
    .describe('send then, not before: an RFC 3339 time with Z or an offset, at most 30 days ahead; a time past or now sends at once'),
  attachments: ATTACHMENTS.optional(),
});

/** A recipient as it goes into the envelope. */
export interface EnvelopeRecipient {
  email: string;
  kind: 'to' | 'cc' | 'bcc';
}

/** A validated, normalised send request. */
export interface SendRequest {
  content: MessageContent;
  envelopeFrom: string;
  /** Unique by normalised address; `to` before `cc` before `bcc`. */
  recipients: EnvelopeRecipient[];
  tags: Record<string, string>;
  metadata: Record<string, string | number | boolean | null>;
  /** Open and click tracking of the html part; both off when absent. */
  tracking?: { opens: boolean; clicks: boolean };
  /** The stored template the subject and body were rendered from. */
  template?: TemplateVersion;
  /** Epoch ms before which the message is not sent (`send_at`); absent: at once. */
  sendAt?: number;
  /** Files to attach, decoded; absent when none. */
  attachments?: AttachmentRequest[];
}

/** A validated send request that names a stored template: its subject and body are still to be rendered. */
export interface TemplateSendRequest extends Omit<SendRequest, 'content' | 'template'> {
  content: Omit<MessageContent, 'subject' | 'text' | 'html'>;
  templateRef: { id: string; data: TemplateData };
}

/** Whether a parsed send names a stored template. */
export function isTemplateSend(request: SendRequest | TemplateSendRequest): request is TemplateSendRequest {
  return 'templateRef' in request;
}

/** What a template makes: a request naming one gives none of these. */
const TEMPLATE_PARTS = ['subject', 'html', 'text'] as const;

/** The checks beyond the schema's types, run on whatever parts of the body have the right type. */
interface Checked {
  problems: FieldProblem[];
  from?: ReturnType<typeof parseMailbox>;
  sendAt?: number;
  formatted: Record<'to' | 'cc' | 'bcc' | 'reply_to', string[]>;
  recipients: EnvelopeRecipient[];
  attachments: AttachmentRequest[];
}

const strings = (value: unknown): string[] | undefined =>
  typeof value === 'string' ? [value] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

function check(input: Record<string, unknown>): Checked {
  const problems: FieldProblem[] = [];
  let from = typeof input.from === 'string' && isUnicode(input.from) ? parseMailbox(input.from) : undefined;
  if (typeof input.from === 'string' && !isUnicode(input.from)) {
    problems.push({ field: 'from', message: NOT_UNICODE });
  } else if (typeof input.from === 'string' && !from) {
    const problem = mailboxProblem(input.from);
    problems.push({
      field: 'from',
      message: problem === HEADER_UNSAFE_MESSAGE ? problem : 'must be an email address, optionally with a display name',
    });
  } else if (from) {
    const unsendable = sendProblem(from.address);
    if (unsendable) {
      problems.push({ field: 'from', message: unsendable });
      from = undefined;
    }
  }
  const formatted: Checked['formatted'] = { to: [], cc: [], bcc: [], reply_to: [] };
  const recipients: EnvelopeRecipient[] = [];
  const seen = new Set<string>();
  for (const field of ['to', 'cc', 'bcc', 'reply_to'] as const) {
    (strings(input[field]) ?? []).forEach((value, index) => {
      const where = Array.isArray(input[field]) ? `${field}[${index}]` : field;
      if (!isUnicode(value)) {
        problems.push({ field: where, message: NOT_UNICODE });
        return;
      }
      const mailbox = parseMailbox(value);
      if (!mailbox) {
        problems.push({ field: where, message: mailboxProblem(value) ?? 'is not a valid email address' });
        return;
      }
      const unsendable = sendProblem(mailbox.address);
      if (unsendable) {
        problems.push({ field: where, message: unsendable });
        return;
      }
      formatted[field].push(formatMailbox(mailbox));
      if (field !== 'reply_to' && !seen.has(mailbox.address)) {
        seen.add(mailbox.address);
        recipients.push({ email: mailbox.address, kind: field });
      }
    });
  }
  if (strings(input.to)?.length === 0) problems.push({ field: 'to', message: 'at least one recipient is required' });
  if (recipients.length > MAX_RECIPIENTS) {
    problems.push({ field: 'to', message: `at most ${MAX_RECIPIENTS} recipients in to, cc and bcc together` });
  }
  if (input.template !== undefined) {
    for (const part of TEMPLATE_PARTS) {
      if (input[part] !== undefined) problems.push({ field: part, message: 'cannot be given with template: the template makes it' });
    }
    const data = record(input.template).data;
    if (data !== undefined) problems.push(...templateDataProblems(data, 'template.data'));
  } else {
    if (input.subject === undefined) problems.push({ field: 'subject', message: 'is required' });
    if (input.text === undefined && input.html === undefined) {
      problems.push({ field: 'text', message: 'a body is required: give text, html or both' });
    }
  }
  const bodyBytes = [input.text, input.html].reduce<number>(
    (sum, part) => sum + (typeof part === 'string' ? Buffer.byteLength(part) : 0),
    0,
  );
  if (bodyBytes > MAX_BODY_BYTES) {
    problems.push({
      field: typeof input.html === 'string' ? 'html' : 'text',
      message: `text and html together at most ${MAX_BODY_BYTES} bytes (UTF-8); send larger content as an attachment`,
    });
  }
  for (const name of Object.keys(record(input.headers))) {
    if (!HEADER_NAME.test(name)) problems.push({ field: `headers.${name}`, message: 'is not a valid header name' });
    else if (OBJECT_KEYS.has(name.toLowerCase())) {
      problems.push({ field: `headers.${name}`, message: 'is not taken as a header name (__proto__, constructor and prototype are not)' });
    } else if (name.toLowerCase().startsWith(SES_HEADER_PREFIX)) {
      problems.push({
        field: `headers.${name}`,
        message: 'is reserved: Amazon SES acts on X-SES-* headers, and mailroom sets what it needs',
      });
    } else if (RESERVED_HEADERS.has(name.toLowerCase())) {
      problems.push({ field: `headers.${name}`, message: 'is set by mailroom; use the dedicated field instead' });
    }
  }
  // The keys as the body has them: an own `__proto__` is one of them here, while the parsed record leaves it out.
  for (const key of Object.keys(record(input.metadata))) {
    if (isReservedName(key)) problems.push({ field: `metadata.${key}`, message: RESERVED_NAME_MESSAGE });
    else if (!isHeaderSafe(key)) problems.push({ field: `metadata.${key}`, message: `names ${HEADER_UNSAFE_MESSAGE}` });
  }
  for (const key of Object.keys(record(input.tags))) {
    if (isReservedName(key)) problems.push({ field: `tags.${key}`, message: RESERVED_NAME_MESSAGE });
    else if (!TAG_KEY.test(key)) problems.push({ field: `tags.${key}`, message: 'tag names use letters, digits, _ . - (at most 64)' });
  }
  const sendAt = typeof input.send_at === 'string' ? parseRfc3339(input.send_at) : undefined;
  if (typeof input.send_at === 'string' && sendAt === undefined) problems.push({ field: 'send_at', message: SEND_AT_FORMAT_MESSAGE });
  // Attachments whose fields have the right types: their bytes decoded, their names checked.
  const attachments = ATTACHMENTS.safeParse(input.attachments ?? []);
  const read = attachments.success ? readAttachments(attachments.data) : { problems: [], requests: [] };
  problems.push(...read.problems);
  return { problems, ...(from && { from }), formatted, recipients, attachments: read.requests, ...(sendAt !== undefined && { sendAt }) };
}

/**
 * Validates a parsed JSON body that gives its content: one naming a template is refused here.
 * Throws ValidationError naming every offending field.
 */
export function parseSendRequest(body: unknown): SendRequest {
  const request = parseSendInput(body);
  if (isTemplateSend(request)) {
    throw new ValidationError('The message is invalid.', [{ field: 'template', message: 'is not accepted here: give subject and body' }]);
  }
  return request;
}

/**
 * Validates a parsed JSON body: a send with its content, or one naming a stored template
 * (isTemplateSend). Throws ValidationError naming every offending field.
 */
export function parseSendInput(body: unknown): SendRequest | TemplateSendRequest {
  const parsed = parseRequest(SEND_REQUEST, body);
  const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
  const checked = isObject
    ? check(body as Record<string, unknown>)
    : { problems: [], formatted: { to: [], cc: [], bcc: [], reply_to: [] }, recipients: [], attachments: [] };
  if (!parsed.success || checked.problems.length || !checked.from) {
    const schemaProblems = parsed.success ? [] : zodProblems(parsed.error);
    // Type errors first; a field the schema already refused is not reported twice.
    const named = new Set(schemaProblems.map((p) => p.field));
    const problems = [...schemaProblems, ...checked.problems.filter((p) => !named.has(p.field))];
    throw new ValidationError('The message is invalid.', problems);
  }
  const input = parsed.data;
  const { from, formatted, recipients, sendAt, attachments } = checked;
  const request = {
    content: {
      from: formatMailbox(from),
      to: formatted.to,
      cc: formatted.cc,
      bcc: formatted.bcc,
      replyTo: formatted.reply_to,
      headers: input.headers ?? {},
    },
    envelopeFrom: from.address,
    recipients,
    tags: input.tags ?? {},
    metadata: input.metadata ?? {},
    ...(input.tracking && { tracking: { opens: input.tracking.opens ?? false, clicks: input.tracking.clicks ?? false } }),
    ...(sendAt !== undefined && { sendAt }),
    ...(attachments.length > 0 && { attachments }),
  };
  if (input.template) {
    // The data as the body has it (checked above): the parsed record would leave an own `__proto__` out.
    const data = (record((body as Record<string, unknown>).template).data ?? {}) as TemplateData;
    return { ...request, templateRef: { id: input.template.id, data } };
  }
  const { subject = '', text, html } = input;
  return {
    ...request,
    content: { ...request.content, subject, ...(text !== undefined && { text }), ...(html !== undefined && { html }) },
  };
}
