/** Message tags for SES `SendEmail`, reduced to the characters SES accepts. */
import type { MessageTag } from '@aws-sdk/client-sesv2';
import { MAILROOM_ID_TAG, MAILROOM_TENANT_TAG, sesTagText } from '../../domain/ses-message-tags.ts';

// The alphabet and the tag names live in the domain: the SES event handler reads them back.
export { MAILROOM_ID_TAG, MAILROOM_TENANT_TAG, SES_TAG_MAX, sesTagText } from '../../domain/ses-message-tags.ts';

/**
 * The message's tags plus `mailroom_id` and `mailroom_tenant`. Those two always win over a
 * caller tag that sanitizes to the same name; SES would refuse duplicate names. An empty
 * value becomes `_` because SES refuses empty values.
 */
export function sesEmailTags(tags: Record<string, string>, id: string, tenant: string): MessageTag[] {
  const byName = new Map<string, string>();
  for (const [name, value] of Object.entries(tags)) {
    const safeName = sesTagText(name);
    if (safeName) byName.set(safeName, sesTagText(value) || '_');
  }
  byName.set(MAILROOM_ID_TAG, sesTagText(id) || '_');
  byName.set(MAILROOM_TENANT_TAG, sesTagText(tenant) || '_');
  return [...byName].map(([Name, Value]) => ({ Name, Value }));
}
