/**
 * A tenant's stored templates through the API: create, list, read, replace (each replacement
 * is the next version), delete, and render a preview with data. Reading needs `read`, changes
 * need `send` (lib/handlers/template-routes.ts).
 */
import { ServiceUnavailableError } from '../domain/errors.ts';
import {
  parseRenderRequest,
  parseTemplateInput,
  renderWithData,
  TEMPLATE_ID,
  TemplateNotFoundError,
  templateSummaryView,
  templateView,
  type StoredTemplate,
} from '../domain/stored-template.ts';
import { compileTemplates } from '../domain/templates.ts';
import type { Clock } from '../ports/clock.ts';
import type { TemplateStore } from '../ports/template-store.ts';
import { MAX_REQUEST_BYTES } from '../topology.ts';
import { pageLimit } from './lists.ts';

export interface TemplateDeps {
  templates: TemplateStore;
  clock: Clock;
  newId: () => string;
}

/** The longest a template may render to (subject and bodies), as for campaigns: what the API accepts for a whole message. */
export const MAX_RENDERED_BYTES = MAX_REQUEST_BYTES;

/** Tries of a replacement or deletion that another change of the same template overtook. */
const TRIES = 3;

/**
 * The tenant's template named by `rawId`. Throws TemplateNotFoundError (another tenant's
 * template too), and a plain Error where no template store is wired (a fault of the wiring).
 */
export async function requireTemplate(templates: TemplateStore | undefined, tenant: string, rawId: string): Promise<StoredTemplate> {
  if (!templates) throw new Error('stored templates are not wired for this function');
  const template = TEMPLATE_ID.test(rawId) ? await templates.get(tenant, rawId) : undefined;
  if (!template) throw new TemplateNotFoundError();
  return template;
}

/** Creates a template (version 1): 400 for bad fields, 422 `template_error`, 409 `template_name_taken`. */
export async function createTemplate(deps: TemplateDeps, tenant: string, body: unknown) {
  const input = parseTemplateInput(body);
  compileTemplates(input);
  const now = deps.clock.now().toISOString();
  const template: StoredTemplate = { id: deps.newId(), tenant, ...input, version: 1, createdAt: now, updatedAt: now };
  await deps.templates.create(template);
  return templateView(template);
}

/** A page of the tenant's templates, oldest first, without their bodies. */
export async function listTemplates(deps: Pick<TemplateDeps, 'templates'>, tenant: string, query: { limit?: string; cursor?: string }) {
  const page = await deps.templates.list(tenant, { limit: pageLimit(query.limit), ...(query.cursor && { cursor: query.cursor }) });
  return { data: page.items.map(templateSummaryView), next_cursor: page.cursor ?? null };
}

export async function getTemplate(deps: Pick<TemplateDeps, 'templates'>, tenant: string, rawId: string) {
  return templateView(await requireTemplate(deps.templates, tenant, rawId));
}

/**
 * Replaces a template's name and parts as a whole (PUT): the result is the next version. A
 * change that another one overtook is made again on top of it, so that versions never repeat.
 */
export async function replaceTemplate(deps: TemplateDeps, tenant: string, rawId: string, body: unknown) {
  const input = parseTemplateInput(body);
  compileTemplates(input);
  for (let attempt = 1; ; attempt++) {
    const current = await requireTemplate(deps.templates, tenant, rawId);
    const next: StoredTemplate = {
      id: current.id,
      tenant,
      ...input,
      version: current.version + 1,
      createdAt: current.createdAt,
      updatedAt: deps.clock.now().toISOString(),
    };
    if (await deps.templates.replace(current, next)) return templateView(next);
    if (attempt === TRIES) throw new ServiceUnavailableError('The template was being changed by other requests at the same time; retry.');
  }
}

/** Deletes a template. Messages and campaigns made from it keep their own copy of its parts. */
export async function deleteTemplate(deps: Pick<TemplateDeps, 'templates'>, tenant: string, rawId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await requireTemplate(deps.templates, tenant, rawId);
    if (await deps.templates.delete(current)) return;
    if (attempt === TRIES) throw new ServiceUnavailableError('The template was being changed by other requests at the same time; retry.');
  }
}

/** What a send with this data would carry: `{"subject", "html", "text"}`, a body `null` when the template has none. */
export async function renderTemplate(deps: Pick<TemplateDeps, 'templates'>, tenant: string, rawId: string, body: unknown) {
  const data = parseRenderRequest(body);
  const template = await requireTemplate(deps.templates, tenant, rawId);
  const parts = renderWithData(compileTemplates(template), data, MAX_RENDERED_BYTES);
  return { subject: parts.subject, html: parts.html ?? null, text: parts.text ?? null };
}
