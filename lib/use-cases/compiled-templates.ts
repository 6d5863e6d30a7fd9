/**
 * Compiled stored templates, kept by one function instance across requests. Compiling is most
 * of the work of a send with a template (Handlebars compiles each part to a function, some
 * 20 ms for a 7 KB html part), and a version's parts never change: each change of a template
 * is stored under the next version, and a replacement of a version that changed meanwhile is
 * refused. So an entry, keyed by tenant, id and version, is never stale.
 */
import type { StoredTemplate } from '../domain/stored-template.ts';
import { compileTemplates, type CampaignTemplates } from '../domain/templates.ts';

/** The most recently used compiled templates, at most `size` of them. */
export class CompiledTemplates {
  private readonly entries = new Map<string, CampaignTemplates>();

  constructor(private readonly size = 100) {}

  /** The compiled parts of `template`; throws TemplateError (422) as compileTemplates does. */
  of(template: StoredTemplate): CampaignTemplates {
    const key = `${template.tenant}/${template.id}/${template.version}`;
    let compiled = this.entries.get(key);
    if (compiled) this.entries.delete(key);
    else compiled = compileTemplates(template);
    // A Map keeps insertion order: the first key is the least recently used.
    this.entries.set(key, compiled);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    return compiled;
  }

  /** How many are kept. */
  get count(): number {
    return this.entries.size;
  }
}
