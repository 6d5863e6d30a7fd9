/** Descriptions of the stored template routes. */
import { RENDER_REQUEST, TEMPLATE_INPUT } from '../../domain/stored-template.ts';
import { named } from '../../http/documents/registry.ts';
import { RENDERED_TEMPLATE, TEMPLATE, TEMPLATE_PAGE } from '../../http/documents/templates.ts';
import type { RouteDoc } from '../../http/route-doc.ts';
import { PAGE_QUERY } from './common.ts';

const TEMPLATE_ID = 'the template’s id';
const NO_TEMPLATE = '`template_not_found`: no template of that id for this tenant.';
const NAME_TAKEN = '`template_name_taken`: another template of the account has this name (names are compared without regard to case).';
const DOES_NOT_COMPILE = '`template_error`: a part does not compile (`details.part`, `details.line`); nothing was stored.';
const OVERTAKEN = '`service_unavailable`: other changes of the same template kept overtaking this one; retry.';
const DIALECT =
  'Parts are Handlebars, as in campaigns: values are HTML-escaped in `html` (not in `subject` or `text`), a missing name renders empty, nothing is read from prototypes.';

/** The body of a create or a replacement. */
const INPUT = { schema: named('TemplateInput', TEMPLATE_INPUT) };

export const createTemplate: RouteDoc = {
  operationId: 'createTemplate',
  tag: 'Templates',
  summary: 'Store a template',
  description: `Each part is compiled now. ${DIALECT} Sends give \`"template": {"id", "data"}\`, campaigns \`template_id\`.`,
  body: INPUT,
  responses: { 201: { description: 'The template, version 1.', schema: TEMPLATE } },
  errors: { 409: NAME_TAKEN, 422: DOES_NOT_COMPILE },
};

export const listTemplates: RouteDoc = {
  operationId: 'listTemplates',
  tag: 'Templates',
  summary: 'List the templates, oldest first, without their bodies',
  query: PAGE_QUERY,
  responses: { 200: { description: 'A page of templates.', schema: TEMPLATE_PAGE } },
};

export const getTemplate: RouteDoc = {
  operationId: 'getTemplate',
  tag: 'Templates',
  summary: 'Read a template and its parts',
  params: { id: TEMPLATE_ID },
  responses: { 200: { description: 'The template.', schema: TEMPLATE } },
  errors: { 404: NO_TEMPLATE },
};

export const replaceTemplate: RouteDoc = {
  operationId: 'replaceTemplate',
  tag: 'Templates',
  summary: 'Replace a template as a whole: the next version',
  description:
    'Name and parts are replaced (a part left out is removed) and the version goes up by 1. Messages and campaigns made from it keep what they were made with.',
  params: { id: TEMPLATE_ID },
  body: INPUT,
  responses: { 200: { description: 'The template, its next version.', schema: TEMPLATE } },
  errors: { 404: NO_TEMPLATE, 409: NAME_TAKEN, 422: DOES_NOT_COMPILE, 503: OVERTAKEN },
};

export const deleteTemplate: RouteDoc = {
  operationId: 'deleteTemplate',
  tag: 'Templates',
  summary: 'Delete a template',
  description: 'Messages and campaigns made from it keep their own copy of its parts.',
  params: { id: TEMPLATE_ID },
  responses: { 204: { description: 'Deleted.' } },
  errors: { 404: NO_TEMPLATE, 503: OVERTAKEN },
};

export const renderTemplate: RouteDoc = {
  operationId: 'renderTemplate',
  tag: 'Templates',
  summary: 'Preview what a send with this data would carry',
  description: `Changes nothing: a \`read\` key may render. ${DIALECT}`,
  params: { id: TEMPLATE_ID },
  body: { schema: named('RenderRequest', RENDER_REQUEST), required: false },
  responses: { 200: { description: 'The subject and bodies, rendered.', schema: RENDERED_TEMPLATE } },
  errors: {
    400: '`invalid_request`: the data breaks its rules (each problem in `details`, named by its path such as `data.order.items`).',
    404: NO_TEMPLATE,
    422: '`template_error`: the template does not render with this data (the subject renders empty or unsafe, or the message too large); `details` names the problem.',
  },
};
