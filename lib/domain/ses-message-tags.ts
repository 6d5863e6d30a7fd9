/**
 * The SES message tags that tie an SES message to mailroom's: relays set them on every send
 * and SES returns them in every event it publishes. One definition for both directions, so
 * that what the relay writes is what the event handler looks for.
 */

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
