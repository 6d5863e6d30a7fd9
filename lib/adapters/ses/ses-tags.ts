/** Message tags for SES `SendEmail`, reduced to the characters SES accepts. */
import type { MessageTag } from '@aws-sdk/client-sesv2';

/** Longest tag name or value SES accepts. */
export const SES_TAG_MAX = 256;

/** Tag carrying mailroom's message id (SES events come back with it). */
export const MAILROOM_ID_TAG = 'mailroom_id';
/** Tag carrying the tenant. */
export const MAILROOM_TENANT_TAG = 'mailroom_tenant';

/**
 * A name or value in SES's alphabet: ASCII letters, digits, `_` and `-`, at most 256
 * characters. Anything else becomes `_`, so `campaign.id` reads `campaign_id`.
 */
export function sesTagText(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, SES_TAG_MAX);
}

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
