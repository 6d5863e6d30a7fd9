/** Stored templates in memory, with the name and version rules of the template store. */
import { TemplateNameTakenError, templateNameKey, type StoredTemplate, type TemplateSummary } from '../../../lib/domain/stored-template.ts';
import type { Page } from '../../../lib/domain/suppression.ts';
import type { TemplateStore } from '../../../lib/ports/template-store.ts';

/** A {@link TemplateStore} in memory; `templates` is keyed by `tenant|id`, and readers get copies. */
export class MemoryTemplateStore implements TemplateStore {
  readonly templates = new Map<string, StoredTemplate>();
  /** Reads by id, to show how often a use case reads. */
  reads = 0;

  constructor(...templates: StoredTemplate[]) {
    for (const template of templates) this.templates.set(this.key(template.tenant, template.id), structuredClone(template));
  }

  private key(tenant: string, id: string): string {
    return `${tenant}|${id}`;
  }

  private nameTaken(template: StoredTemplate): boolean {
    const name = templateNameKey(template.name);
    return [...this.templates.values()].some(
      (t) => t.tenant === template.tenant && t.id !== template.id && templateNameKey(t.name) === name,
    );
  }

  async create(template: StoredTemplate): Promise<void> {
    if (this.templates.has(this.key(template.tenant, template.id))) throw new Error(`template ${template.id} exists`);
    if (this.nameTaken(template)) throw new TemplateNameTakenError();
    this.templates.set(this.key(template.tenant, template.id), structuredClone(template));
  }

  async get(tenant: string, id: string): Promise<StoredTemplate | undefined> {
    this.reads++;
    const template = this.templates.get(this.key(tenant, id));
    return template && structuredClone(template);
  }

  /** Pages in id order; the cursor is the last id of the page before. */
  async list(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<TemplateSummary>> {
    const all = [...this.templates.values()]
      .filter((t) => t.tenant === tenant && (options.cursor === undefined || t.id > options.cursor))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map(({ html: _html, text: _text, ...summary }) => summary);
    const items = all.slice(0, options.limit);
    return all.length > items.length ? { items, cursor: items.at(-1)!.id } : { items };
  }

  async replace(current: StoredTemplate, next: StoredTemplate): Promise<boolean> {
    const stored = this.templates.get(this.key(current.tenant, current.id));
    if (!stored || stored.version !== current.version) return false;
    if (this.nameTaken(next)) throw new TemplateNameTakenError();
    this.templates.set(this.key(next.tenant, next.id), structuredClone(next));
    return true;
  }

  async delete(current: StoredTemplate): Promise<boolean> {
    const stored = this.templates.get(this.key(current.tenant, current.id));
    if (!stored || stored.version !== current.version) return false;
    return this.templates.delete(this.key(current.tenant, current.id));
  }
}
