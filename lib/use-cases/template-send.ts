/**
 * Sends that name a stored template (`"template": {"id", "data"}`): the template is read once
 * per request, however many messages of a batch use it, compiled once per version and function
 * instance (compiled-templates.ts), and rendered with each
 * message's data into the subject and body the message then carries as if given. The message
 * records the template's id and version.
 */
import { isTemplateSend, type SendRequest, type TemplateSendRequest } from '../domain/send-request.ts';
import { renderWithData, templateVersion, type StoredTemplate } from '../domain/stored-template.ts';
import { compileTemplates, type CampaignTemplates } from '../domain/templates.ts';
import type { TemplateStore } from '../ports/template-store.ts';
import type { CompiledTemplates } from './compiled-templates.ts';
import { MAX_RENDERED_BYTES, requireTemplate } from './templates.ts';

export interface TemplateSendDeps {
  /** The tenant's stored templates; a send naming one needs them. */
  templates?: TemplateStore;
  /** Templates compiled by earlier requests; without it, each request compiles the templates it uses. */
  compiledTemplates?: CompiledTemplates;
}

/** Turns a parsed send into one with its content: 404 `template_not_found`, 422 `template_error`. */
export type SendRenderer = (input: SendRequest | TemplateSendRequest) => Promise<SendRequest>;

/** A renderer for the sends of one request of `tenant`. */
export function sendRenderer(deps: TemplateSendDeps, tenant: string): SendRenderer {
  const compiled = new Map<string, Promise<{ template: StoredTemplate; templates: CampaignTemplates }>>();
  const load = async (id: string) => {
    const template = await requireTemplate(deps.templates, tenant, id);
    return { template, templates: deps.compiledTemplates?.of(template) ?? compileTemplates(template) };
  };
  return async (input) => {
    if (!isTemplateSend(input)) return input;
    const { templateRef, content, ...request } = input;
    let loading = compiled.get(templateRef.id);
    if (!loading) {
      loading = load(templateRef.id);
      compiled.set(templateRef.id, loading);
    }
    const { template, templates } = await loading;
    const parts = renderWithData(templates, templateRef.data, MAX_RENDERED_BYTES);
    return { ...request, content: { ...content, ...parts }, template: templateVersion(template) };
  };
}
