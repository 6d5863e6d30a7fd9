/** Answers of the stored template routes, and the template a message or campaign was made from. */
import * as z from 'zod';
import { pageOf, TIMESTAMP } from './common.ts';
import { named } from './registry.ts';

const version = z.int().min(1).describe('1 when created; each replacement adds 1');

/** Which stored template, in which version, made a message's or a campaign's subject and body. */
export const TEMPLATE_VERSION = named('TemplateVersion', z.strictObject({ id: z.string().describe('the stored template’s id'), version }));

const TEMPLATE_FIELDS = {
  id: z.string(),
  name: z.string().describe('unique in the account, compared without regard to case'),
  subject: z.string().describe('a template'),
};

/** A stored template, its parts included. */
export const TEMPLATE = named(
  'Template',
  z.strictObject({
    ...TEMPLATE_FIELDS,
    html: z.string().nullable().describe('a template; null when the template has no html part'),
    text: z.string().nullable().describe('a template; null when the template has no text part'),
    version,
    created_at: TIMESTAMP,
    updated_at: TIMESTAMP,
  }),
);

/** A stored template in a listing: without its bodies, which can be large. */
export const TEMPLATE_SUMMARY = named(
  'TemplateSummary',
  z.strictObject({ ...TEMPLATE_FIELDS, version, created_at: TIMESTAMP, updated_at: TIMESTAMP }),
);

export const TEMPLATE_PAGE = pageOf('TemplatePage', TEMPLATE_SUMMARY);

/** `POST /v1/templates/{id}/render`: what a send with the data would carry. */
export const RENDERED_TEMPLATE = named(
  'RenderedTemplate',
  z.strictObject({
    subject: z.string(),
    html: z.string().nullable().describe('null when the template has no html part'),
    text: z.string().nullable().describe('null when the template has no text part'),
  }),
);
