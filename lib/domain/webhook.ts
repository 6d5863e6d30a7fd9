/**
 * Webhook endpoints a tenant registers itself: a URL that receives the tenant's notification
 * documents (one event per request, signed to the Standard Webhooks specification), the event
 * types it wants (`*` for all), a description, and whether it is enabled. mailroom disables an
 * endpoint that answers 410 or fails every delivery for days (`disabled_reason`). Its secret is
 * kept encrypted and shown only when made (created, rotated); during a rotation the previous
 * secret signs too, for a day.
 */
import * as z from 'zod';
import { hasControlCharacter } from './address.ts';
import { ConflictError, MailroomError, ValidationError, type FieldProblem } from './errors.ts';
import { EVENT_TYPES } from './events.ts';
import { parseRequest, zodProblems } from './field-problems.ts';
import type { EncryptedKey } from './sending-domain.ts';
import { checkWebhookUrl, type WebhookUrlPolicy, type WebhookTarget } from './webhook-url.ts';

/** Every type a webhook may subscribe to: the events of messages and the notices about the tenant. */
export const WEBHOOK_EVENT_TYPES = [...EVENT_TYPES, 'sending_paused', 'webhook.disabled'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The type of the event the test route sends, whatever an endpoint subscribed to. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** Subscribes to every type, present and future. */
export const ALL_EVENTS = '*';

/** Endpoints a tenant may have unless MAILROOM_WEBHOOK_MAX_ENDPOINTS says otherwise. */
export const DEFAULT_MAX_ENDPOINTS = 10;

/** Longest description, in characters. */
export const MAX_DESCRIPTION = 500;

/** How long the previous secret keeps signing after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

/** Endpoint ids are ULIDs; anything else names no endpoint. */
export const WEBHOOK_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** How a deployment delivers webhooks and which endpoints it accepts (configured: lib/config.ts). */
export interface WebhookSettings {
  /** Seconds before the first retry; the later waits are multiples of it. */
  retryBaseSeconds: number;
  /** Endpoints one tenant may register. */
  maxEndpoints: number;
  urlPolicy: WebhookUrlPolicy;
}

/** Why mailroom disabled an endpoint: it answered 410 Gone, or every delivery failed for days. */
export type DisabledReason = 'gone' | 'failing';

/** A stored endpoint. */
export interface WebhookEndpoint {
  id: string;
  tenant: string;
  url: string;
  /** `["*"]`, or the types it receives. */
  events: string[];
  description: string;
  enabled: boolean;
  /** Set when mailroom disabled it (absent when the tenant did). */
  disabledReason?: DisabledReason;
  /** The signing secret (`whsec_…`), encrypted. */
  secret: EncryptedKey;
  /** After a rotation: the previous secret, which signs too until `previousSecretUntil`. */
  previousSecret?: EncryptedKey;
  previousSecretUntil?: string;
  /** Since when every delivery failed; absent after a success. */
  failingSince?: string;
  /** 1 when created; every change by the tenant adds 1. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What POST /v1/webhooks gives. */
export interface WebhookInput {
  url: string;
  events: string[];
  description: string;
}

/** What PATCH /v1/webhooks/{id} may change. */
export type WebhookPatch = Partial<WebhookInput> & { enabled?: boolean };

/** 400 `invalid_webhook_url`: mailroom will not post to this URL. */
export class InvalidWebhookUrlError extends MailroomError {
  constructor(problem: string) {
    super(400, 'invalid_webhook_url', `The webhook URL ${problem}.`, [{ field: 'url', message: problem }]);
  }
}

/** 404: no such endpoint for this tenant (another tenant's is also "not found"). */
export class WebhookNotFoundError extends MailroomError {
  constructor() {
    super(404, 'webhook_not_found', 'Webhook endpoint not found.');
  }
}

/** 409: the tenant has as many endpoints as it may. */
export class WebhookLimitError extends ConflictError {
  constructor(max: number) {
    super('webhook_limit_reached', `This account has ${max} webhook endpoints, the most it may have; delete one first.`);
  }
}

const events = z
  .array(z.string(), { error: (issue) => (issue.input === undefined ? 'is required' : 'must be an array of event types') })
  .min(1, 'give at least one event type, or leave events out for all')
  .max(WEBHOOK_EVENT_TYPES.length + 1, `at most ${WEBHOOK_EVENT_TYPES.length + 1} items`);
const description = z
  .string()
  .max(MAX_DESCRIPTION, `at most ${MAX_DESCRIPTION} characters`)
  .refine((v) => !hasControlCharacter(v), 'must not contain control characters');

const url = z.string().describe('where to post: `https://` on port 443 (or a configured port), resolving to public addresses only');
const eventsDoc = `the types to receive: ${WEBHOOK_EVENT_TYPES.join(', ')}; \`["*"]\` (the default) for all, those added later included`;

/** `POST /v1/webhooks`: an endpoint to register. */
export const WEBHOOK_INPUT = z.strictObject({
  url,
  events: events.optional().describe(eventsDoc),
  description: description.optional().describe('for people; at most 500 characters'),
});

/** `PATCH /v1/webhooks/{id}`: what to change (at least one field). */
export const WEBHOOK_PATCH = z.strictObject({
  url: url.optional(),
  events: events.optional().describe(eventsDoc),
  description: description.optional().describe('for people; at most 500 characters'),
  enabled: z.boolean().optional().describe('`true` starts an endpoint mailroom disabled afresh'),
});

const CREATE = WEBHOOK_INPUT;
const PATCH = WEBHOOK_PATCH;

/** Problems with a list of event types: each known or `*`, and `*` alone. */
function eventProblems(list: readonly string[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  list.forEach((type, index) => {
    if (type !== ALL_EVENTS && !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)) {
      problems.push({ field: `events[${index}]`, message: `must be "*" or one of ${WEBHOOK_EVENT_TYPES.join(', ')}` });
    }
  });
  if (list.includes(ALL_EVENTS) && list.length > 1) problems.push({ field: 'events', message: '"*" means every type: give it alone' });
  return problems;
}

/** The types without repeats, in the order of WEBHOOK_EVENT_TYPES (`["*"]` stays). */
function canonicalEvents(list: readonly string[]): string[] {
  if (list.includes(ALL_EVENTS)) return [ALL_EVENTS];
  return WEBHOOK_EVENT_TYPES.filter((type) => list.includes(type));
}

/** The URL's form checked (no DNS yet). @throws InvalidWebhookUrlError */
export function webhookTarget(url: string, policy: WebhookUrlPolicy): WebhookTarget {
  const checked = checkWebhookUrl(url, policy);
  if (!checked.ok) throw new InvalidWebhookUrlError(checked.problem);
  return checked.target;
}

function parsed<T>(result: z.ZodSafeParseResult<T>, extra: (data: T) => FieldProblem[], what: string): T {
  const problems = result.success ? extra(result.data) : zodProblems(result.error);
  if (!result.success || problems.length) throw new ValidationError(`The ${what} is invalid.`, problems);
  return result.data;
}

/**
 * Validates an endpoint to register; `url` is normalised. Its host is not resolved here.
 * @throws ValidationError, InvalidWebhookUrlError
 */
export function parseWebhookInput(body: unknown, policy: WebhookUrlPolicy): WebhookInput {
  const data = parsed(parseRequest(CREATE, body), (d) => eventProblems(d.events ?? []), 'webhook endpoint');
  const target = webhookTarget(data.url, policy);
  return { url: target.href, events: canonicalEvents(data.events ?? [ALL_EVENTS]), description: data.description ?? '' };
}

/** Validates a change; `url`, when given, is normalised. @throws ValidationError, InvalidWebhookUrlError */
export function parseWebhookPatch(body: unknown, policy: WebhookUrlPolicy): WebhookPatch {
  const data = parsed(
    parseRequest(PATCH, body ?? {}),
    (d) => [
      ...eventProblems(d.events ?? []),
      ...(Object.keys(d).length === 0 ? [{ field: '(body)', message: 'give url, events, description or enabled' }] : []),
    ],
    'change',
  );
  return {
    ...(data.url !== undefined && { url: webhookTarget(data.url, policy).href }),
    ...(data.events !== undefined && { events: canonicalEvents(data.events) }),
    ...(data.description !== undefined && { description: data.description }),
    ...(data.enabled !== undefined && { enabled: data.enabled }),
  };
}

/** Whether an endpoint receives events of `type` (a notification document's `type`). */
export function subscribesTo(endpoint: Pick<WebhookEndpoint, 'events'>, type: string): boolean {
  return endpoint.events.includes(ALL_EVENTS) || endpoint.events.includes(type);
}

/** The additional data binding an endpoint's sealed secret to it. */
export function secretContext(tenant: string, id: string): string {
  return `mailroom-webhook:${tenant}:${id}`;
}

/** An endpoint as the API shows it (never its secret: that is shown only when made). */
export function webhookView(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description,
    enabled: endpoint.enabled,
    disabled_reason: endpoint.disabledReason ?? null,
    failing_since: endpoint.failingSince ?? null,
    created_at: endpoint.createdAt,
    updated_at: endpoint.updatedAt,
  };
}
