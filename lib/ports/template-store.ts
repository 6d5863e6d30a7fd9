import type { StoredTemplate, TemplateSummary } from '../domain/stored-template.ts';
import type { Page } from '../domain/suppression.ts';

/**
 * A tenant's stored templates. Names are unique per tenant by templateNameKey: `create` and
 * `replace` throw TemplateNameTakenError (409) when another template holds the name.
 */
export interface TemplateStore {
  /** Stores a new template (version 1). */
  create(template: StoredTemplate): Promise<void>;
  get(tenant: string, id: string): Promise<StoredTemplate | undefined>;
  /** Templates in id (creation) order, without their bodies; `cursor` is opaque and comes from the previous page. */
  list(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<TemplateSummary>>;
  /**
   * Replaces `current` with `next` (same tenant and id, the next version) unless the stored
   * template is no longer `current`'s version: false then, or when it was deleted.
   */
  replace(current: StoredTemplate, next: StoredTemplate): Promise<boolean>;
  /** Removes `current` and frees its name, unless the stored template is no longer its version: false then, or when there was none. */
  delete(current: StoredTemplate): Promise<boolean>;
}
