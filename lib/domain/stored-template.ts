/**
 * Stored templates: a tenant's subject, html and text templates kept under an id, sent with
 * data (`"template": {"id", "data"}` on a send) or copied into a campaign (`template_id`).
 *
 * - The dialect and its safety are the campaigns' (templates.ts); a template is compiled when
 *   it is stored, so a mistake is a `422 template_error` then.
 * - Names are unique per tenant, compared without regard to case: a name is how people find a
 *   template, and a create retried after a lost answer must not make a second one.
 * - `version` is 1 when created and each replacement adds 1; only the current version is kept.
 *   A message records the id and version it was rendered from; its content is stored with it.
 */
import * as z from 'zod';
import { HEADER_UNSAFE_MESSAGE, isHeaderSafe } from './address.ts';
import { ConflictError, MailroomError, ValidationError, type FieldProblem } from './errors.ts';
import { parseRequest, zodProblems } from './field-problems.ts';
import type { TemplateVersion } from './message.ts';
import { isUnicode, MAX_SUBJECT, NOT_UNICODE } from './send-request.ts';
import { templateDataProblems, type TemplateData } from './template-data.ts';
import { TemplateError, type CampaignTemplates, type RenderedParts } from './templates.ts';

/** A tenant's stored template. */
export interface StoredTemplate {
  /** Time-sortable id (ULID). */
  id: string;
  tenant: string;
  name: string;
  /** Handlebars templates of the message parts (templates.ts); at least one of html and text. */
  subject: string;
  html?: string;
  text?: string;
  /** 1 when created; each replacement adds 1. */
  version: number;
  /** ISO times. */
  createdAt: string;
  updatedAt: string;
}

/** A template without its bodies, as listings show it. */
export type TemplateSummary = Omit<StoredTemplate, 'html' | 'text'>;

/** What `POST /v1/templates` and `PUT /v1/templates/{id}` give. */
export interface TemplateInput {
  name: string;
  subject: string;
  html?: string;
  text?: string;
}

/** Longest template name, as for lists and campaigns. */
export const MAX_TEMPLATE_NAME = 200;
/** Template ids are ULIDs; anything else names no template. */
export const TEMPLATE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** 404: no such template for this tenant (another tenant's template is also "not found"). */
export class TemplateNotFoundError extends MailroomError {
  constructor() {
    super(404, 'template_not_found', 'Template not found.');
  }
}

/** 409: another of the tenant's templates has this name. */
export class TemplateNameTakenError extends ConflictError {
  constructor() {
    super('template_name_taken', 'Another template of this account has this name (names are compared without regard to case).');
  }
}

const headerText = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .refine((v) => isHeaderSafe(v, true), HEADER_UNSAFE_MESSAGE)
    .refine(isUnicode, NOT_UNICODE)
    .refine((v) => v.trim().length > 0, 'must not be empty');

/** `POST /v1/templates` and `PUT /v1/templates/{id}` as JSON (at least one body, and the parts as templates, are checked in parseTemplateInput). */
export const TEMPLATE_INPUT = z.strictObject({
  name: headerText(MAX_TEMPLATE_NAME).describe('unique in the account, compared without regard to case'),
  subject: headerText(MAX_SUBJECT).describe('a template'),
  html: z.string().optional().describe('a template; html, text or both'),
  text: z.string().optional().describe('a template; html, text or both'),
});

/** `POST /v1/templates/{id}/render` (the body may be empty); the data's rules are template-data.ts's. */
export const RENDER_REQUEST = z.strictObject({
  data: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('names of letters, digits and _; values strings, numbers, booleans, null or objects of the same (no arrays)'),
});

/**
 * Validates a template to create or to replace with. Throws ValidationError naming every
 * offending field; the parts are checked as templates by compileTemplates.
 */
export function parseTemplateInput(body: unknown): TemplateInput {
  const parsed = parseRequest(TEMPLATE_INPUT, body);
  const problems: FieldProblem[] = parsed.success ? [] : zodProblems(parsed.error);
  const input = (body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  if (input.html === undefined && input.text === undefined) {
    problems.push({ field: 'text', message: 'a body is required: give text, html or both' });
  }
  if (!parsed.success || problems.length) throw new ValidationError('The template is invalid.', problems);
  const { name, subject, html, text } = parsed.data;
  return { name: name.trim(), subject, ...(html !== undefined && { html }), ...(text !== undefined && { text }) };
}

/** The data of a render preview, `{"data": {...}}` (absent: none). Throws ValidationError. */
export function parseRenderRequest(body: unknown): TemplateData {
  const parsed = parseRequest(RENDER_REQUEST, body ?? {});
  const problems = parsed.success ? [] : zodProblems(parsed.error);
  // The data as the body has it: the parsed record would leave an own `__proto__` out.
  const data = (body as { data?: unknown } | undefined)?.data;
  if (parsed.success && data !== undefined) problems.push(...templateDataProblems(data, 'data'));
  if (problems.length) throw new ValidationError('The render request is invalid.', problems);
  return (data ?? {}) as TemplateData;
}

/** The key that makes names unique per tenant: the same name in any case is the same key. */
export function templateNameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

/** The id and version of a template, as messages and campaigns record it. */
export function templateVersion(template: Pick<StoredTemplate, 'id' | 'version'>): TemplateVersion {
  return { id: template.id, version: template.version };
}

/**
 * Renders a stored template's compiled parts with a send's data, as the message will carry
 * them. Throws TemplateError (422 `template_error`) when the subject renders empty or would
 * not be safe in a header, or the parts together exceed `maxBytes`.
 */
export function renderWithData(templates: CampaignTemplates, data: TemplateData, maxBytes: number): RenderedParts {
  // The subject comes out with its control characters replaced by spaces (cleanSubject).
  const parts = templates.renderData(data);
  const { subject } = parts;
  if (subject.trim().length === 0) {
    throw new TemplateError({ part: 'subject', message: 'renders empty with this data, and a message needs a subject' });
  }
  // An encoded word (=?…?=) from the data may still hide a control character.
  if (!isHeaderSafe(subject, true))
    throw new TemplateError({ part: 'subject', message: `renders a subject that ${HEADER_UNSAFE_MESSAGE}` });
  const bytes = [parts.subject, parts.html, parts.text].reduce((sum, part) => sum + (part ? Buffer.byteLength(part, 'utf8') : 0), 0);
  if (bytes > maxBytes) throw new TemplateError({ message: `renders larger than ${maxBytes} bytes with this data` });
  return parts;
}

/** A template as the API shows it: both bodies, `null` when the template has none. */
export function templateView(template: StoredTemplate) {
  return {
    id: template.id,
    name: template.name,
    subject: template.subject,
    html: template.html ?? null,
    text: template.text ?? null,
    version: template.version,
    created_at: template.createdAt,
    updated_at: template.updatedAt,
  };
}

/** A template in a listing: without its bodies, which can be large. */
export function templateSummaryView(template: TemplateSummary) {
  return {
    id: template.id,
    name: template.name,
    subject: template.subject,
    version: template.version,
    created_at: template.createdAt,
    updated_at: template.updatedAt,
  };
}
