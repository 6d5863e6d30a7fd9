/**
 * Local HTTP subscribers from MAILROOM_SUBSCRIBERS: either URLs separated by commas, or a
 * JSON array of `{"url": "…", "filter_policy": {…}}` (the same filter policy JSON an SNS
 * subscription takes).
 */
import * as z from 'zod';
import { FILTER_POLICY } from '../domain/filter-policy.ts';
import type { Subscriber } from '../adapters/http/webhook-notifier.ts';

const HTTP_URL = z.string().refine((value) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, 'must be an http:// or https:// URL');

const LIST = z.array(z.strictObject({ url: HTTP_URL, filter_policy: FILTER_POLICY.optional() }));

/** Parses the setting; throws with the offending part named. */
export function parseSubscribers(value: string | undefined): Subscriber[] {
  const text = value?.trim();
  if (!text) return [];
  if (!text.startsWith('[')) {
    return text.split(',').map((url) => {
      const parsed = HTTP_URL.safeParse(url.trim());
      if (!parsed.success) throw new Error(`MAILROOM_SUBSCRIBERS: "${url.trim()}" must be an http:// or https:// URL`);
      return { url: parsed.data };
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('MAILROOM_SUBSCRIBERS is neither a list of URLs nor valid JSON');
  }
  const parsed = LIST.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`MAILROOM_SUBSCRIBERS[${issue?.path.join('.')}]: ${issue?.message}`);
  }
  return parsed.data.map((s) => ({ url: s.url, ...(s.filter_policy && { filterPolicy: s.filter_policy }) }));
}
