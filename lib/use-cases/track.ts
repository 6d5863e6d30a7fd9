/**
 * What people do with the links in mail: clicks (redirected to the signed URL, with an
 * attribution token added), opens (the pixel), conversions (reported by the tenant's site
 * with that attribution token), unsubscribes and re-subscribes.
 *
 * Every token is checked first: a tampered, forged or malformed one, or one of another kind,
 * is "not found" and nothing happens. Events go to the event store like every other event,
 * so the stream counts them in reports and publishes them to subscribers. Their ids are
 * deterministic per logical event, so that a request handled twice records nothing twice:
 *
 * - opens and clicks `<message>/<opened|clicked>/<recipient>/<hit id>` (the request's id:
 *   every request counts in the totals; the unique counters count the first per recipient);
 * - conversions `<message>/converted/<recipient>/<conversion id>`, the caller's `id` when it
 *   gives one (the same order reported twice counts once), else a new one;
 * - unsubscribes `<message>/unsubscribed/<recipient>/<list|marketing>`.
 *
 * Messages past their retention (`MAILROOM_RETENTION_DAYS`): a click still redirects and the
 * pixel still answers, but nothing is recorded (the event would lack the message's tags,
 * sender domain, list and campaign); a conversion is refused as not found. An unsubscribe
 * always takes effect, since the token itself names the tenant, the list and the address;
 * its event then carries what the token knows (tenant, message id, list), without tags,
 * sender domain or campaign.
 */
import * as z from 'zod';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { parseRequest, zodProblems } from '../domain/field-problems.ts';
import { eventBaseOf, type EventDetail, type EventType, type MailEvent, type MessageEventBase } from '../domain/events.ts';
import { ATTRIBUTION_PARAM, httpUrl, MAX_TOKEN_LENGTH, type LinkPayload, type LinkSigner } from '../domain/links.ts';
import { classifyHit } from '../domain/machine-opens.ts';
import type { StoredMessage } from '../domain/message.ts';
import { DEFAULT_CURRENCY } from '../domain/report.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { ContactStore, ListStore } from '../ports/list-store.ts';
import type { Log } from '../ports/logger.ts';
import type { MessageStore } from '../ports/message-store.ts';
import type { UnsubscribeStore } from '../ports/unsubscribe-store.ts';

/** What conversions need. */
export interface ConversionDeps {
  signer: LinkSigner;
  messages: MessageStore;
  events: EventStore;
  clock: Clock;
  newId: () => string;
  log: Log;
}

/** What the public link routes need. */
export interface TrackDeps extends ConversionDeps {
  unsubscribes: UnsubscribeStore;
  contacts: ContactStore;
  /** To name the list on the unsubscribe page; the page says "this mailing list" without it. */
  lists?: ListStore;
}

/** One request to a public link. */
export interface Hit {
  /** Unique per request, and the same when that request is handled again (API Gateway's request id). */
  id: string;
  userAgent?: string;
  ipAddress?: string;
}

/** Longest user agent kept on an event. */
const MAX_USER_AGENT = 512;

type Payload<K extends LinkPayload['k']> = Extract<LinkPayload, { k: K }>;

function verified<K extends LinkPayload['k']>(signer: LinkSigner, token: string, kind: K, what: string): Payload<K> {
  const payload = signer.verify(token);
  if (payload?.k !== kind) throw new NotFoundError(what);
  return payload as Payload<K>;
}

/** The message of a token, when it is still kept and belongs to the token's tenant. */
async function messageOf(deps: ConversionDeps, payload: LinkPayload): Promise<StoredMessage | undefined> {
  const stored = await deps.messages.get(payload.m);
  return stored && stored.message.tenant === payload.t ? stored : undefined;
}

function eventOf(
  base: MessageEventBase,
  payload: LinkPayload,
  type: EventType,
  key: string,
  at: string,
  attempt: number,
  detail: EventDetail,
): MailEvent {
  return { eventId: `${payload.m}/${type}/${payload.r}/${key}`, ...base, recipient: payload.r, type, at, attempt, detail };
}

/**
 * The destination of a click: the signed URL with the attribution token as `mr_cv`, after
 * its own query parameters (a `mr_cv` it already had is replaced) and before its fragment.
 * Undefined when the URL is not an absolute http(s) URL (never redirect anywhere else).
 */
export function destinationOf(url: string, attribution: string): string | undefined {
  const parsed = httpUrl(url);
  if (!parsed) return undefined;
  const nameOf = (part: string) => {
    try {
      return decodeURIComponent((part.split('=')[0] ?? '').replace(/\+/g, ' '));
    } catch {
      return part;
    }
  };
  const parts = parsed.search
    ? parsed.search
        .slice(1)
        .split('&')
        .filter((part) => nameOf(part) !== ATTRIBUTION_PARAM)
    : [];
  parts.push(`${ATTRIBUTION_PARAM}=${attribution}`);
  parsed.search = `?${parts.join('&')}`;
  return parsed.href;
}

/** Records an open or a click; a failure is logged and never stops the answer. */
async function recordHit(deps: TrackDeps, payload: Payload<'c'> | Payload<'o'>, type: 'opened' | 'clicked', hit: Hit): Promise<void> {
  try {
    const stored = await messageOf(deps, payload);
    if (!stored) {
      deps.log.info('hit on a message no longer kept; nothing recorded', { messageId: payload.m, type });
      return;
    }
    const now = deps.clock.now();
    // When the relay accepted the message for this recipient (or SES delivered it): the last
    // change of a recipient that is sent or delivered.
    const recipient = stored.recipients.find((r) => r.email === payload.r);
    const sentAt =
      recipient && (recipient.status === 'sent' || recipient.status === 'delivered') ? new Date(recipient.updatedAt) : undefined;
    const userAgent = hit.userAgent?.slice(0, MAX_USER_AGENT);
    const machine = classifyHit({ ...(userAgent !== undefined && { userAgent }), at: now, ...(sentAt && { sentAt }) });
    const detail: EventDetail = {
      ...(payload.k === 'c' && { link: payload.u }),
      ...(userAgent && { userAgent }),
      ...(hit.ipAddress && { ipAddress: hit.ipAddress.slice(0, 64) }),
      ...(machine && { machine }),
    };
    await deps.events.append([
      eventOf(eventBaseOf(stored.message), payload, type, hit.id, now.toISOString(), stored.message.attempts, detail),
    ]);
  } catch (error) {
    deps.log.error('recording a hit failed', { messageId: payload.m, type, error: String(error) });
  }
}

/** A click: where to redirect (the signed URL with `mr_cv`), after recording `clicked`. 404 for a token that is not a genuine click token. */
export async function click(deps: TrackDeps, token: string, hit: Hit, options: { record?: boolean } = {}): Promise<{ location: string }> {
  const payload = verified(deps.signer, token, 'c', 'Link');
  const location = destinationOf(payload.u, deps.signer.sign({ k: 'a', t: payload.t, m: payload.m, r: payload.r }));
  if (location === undefined) throw new NotFoundError('Link');
  if (options.record !== false) await recordHit(deps, payload, 'clicked', hit);
  return { location };
}

/** An open (the pixel): records `opened` for a genuine open token, nothing for anything else. */
export async function open(deps: TrackDeps, token: string, hit: Hit): Promise<boolean> {
  const payload = deps.signer.verify(token);
  if (payload?.k !== 'o') return false;
  await recordHit(deps, payload, 'opened', hit);
  return true;
}

/** A conversion as reported: the attribution token, and optionally its value, currency and id. */
export interface ConversionInput {
  token: string;
  /** 0 to 1e9, in `currency`. */
  value?: number;
  /** ISO 4217; DEFAULT_CURRENCY when a value comes without one. */
  currency?: string;
  /** The caller's id of the conversion (an order number): the same id counts once. */
  id?: string;
}

/** Largest conversion value accepted. */
export const MAX_CONVERSION_VALUE = 1e9;

/** A conversion reported through the API (`POST /v1/conversions`). */
export const CONVERSION_REQUEST = z.strictObject({
  token: z.string().min(1).max(MAX_TOKEN_LENGTH),
  value: z
    .number()
    .refine(Number.isFinite, 'must be a finite number')
    .refine((v) => v >= 0 && v <= MAX_CONVERSION_VALUE, `must be from 0 to ${MAX_CONVERSION_VALUE}`)
    .optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in capitals, e.g. EUR')
    .optional(),
  id: z
    .string()
    .regex(/^[\x21-\x7e]{1,128}$/, 'must be 1 to 128 visible ASCII characters')
    .optional(),
});

/** Validates a conversion reported through the API (`POST /v1/conversions`). */
export function parseConversion(body: unknown): ConversionInput {
  const parsed = parseRequest(CONVERSION_REQUEST, body);
  if (!parsed.success) throw new ValidationError('The conversion is invalid.', zodProblems(parsed.error));
  const { token, value, currency, id } = parsed.data;
  return { token, ...(value !== undefined && { value }), ...(currency !== undefined && { currency }), ...(id !== undefined && { id }) };
}

/** Validates a conversion reported by the pixel (`/t/v/{token}?value=&currency=&id=`); empty parameters are absent. */
export function parseConversionQuery(token: string, query: Record<string, string>): ConversionInput {
  const { value, currency, id } = query;
  // Plain decimal numbers only: no exponents, hex, signs or "Infinity".
  const number = value === undefined || value === '' ? undefined : /^\d{1,10}(?:\.\d{1,9})?$/.test(value) ? Number(value) : Number.NaN;
  return parseConversion({
    token,
    ...(number !== undefined && { value: number }),
    ...(currency && { currency }),
    ...(id && { id }),
  });
}

/** What a recorded conversion was attributed to. */
export interface Conversion {
  messageId: string;
  recipient: string;
  list?: string;
  campaign?: string;
  conversionId: string;
  value?: number;
  currency?: string;
}

/**
 * Records a conversion against the message, recipient, list and campaign of its attribution
 * token. With `tenant` (the API key's), a token of another tenant is "not found", like a
 * forged one; so is the token of a message no longer kept.
 */
export async function recordConversion(deps: ConversionDeps, input: ConversionInput, tenant?: string): Promise<Conversion> {
  const payload = verified(deps.signer, input.token, 'a', 'Attribution token');
  if (tenant !== undefined && payload.t !== tenant) throw new NotFoundError('Attribution token');
  const stored = await messageOf(deps, payload);
  if (!stored) throw new NotFoundError('Message');
  const conversionId = input.id ?? deps.newId();
  const currency = input.currency ?? (input.value !== undefined ? DEFAULT_CURRENCY : undefined);
  const detail: EventDetail = {
    ...(input.value !== undefined && { value: input.value }),
    ...(currency !== undefined && { currency }),
    conversionId,
  };
  const { message } = stored;
  const event = eventOf(eventBaseOf(message), payload, 'converted', conversionId, deps.clock.now().toISOString(), message.attempts, detail);
  await deps.events.append([event]);
  deps.log.info('conversion recorded', { messageId: message.id, tenant: message.tenant, eventId: event.eventId });
  return {
    messageId: message.id,
    recipient: payload.r,
    ...(message.list && { list: message.list }),
    ...(message.campaign && { campaign: message.campaign }),
    conversionId,
    ...(input.value !== undefined && { value: input.value }),
    ...(currency !== undefined && { currency }),
  };
}

/** What an unsubscribe is about: all of the tenant's marketing mail, or one list. */
export type UnsubscribeScope = 'list' | 'marketing';

/** Who and what an unsubscribe token is for, as the hosted page shows it. */
export interface UnsubscribeTarget {
  tenant: string;
  email: string;
  /** The list of the message; absent when the token is for all marketing mail. */
  listId?: string;
  /** The list's name, when it can be read. */
  listName?: string;
  /**
   * What the address has left already, as the page a GET shows it: all marketing mail, else the
   * token's list; absent when neither (or when that could not be read).
   */
  unsubscribed?: UnsubscribeScope;
}

/** The token's scope where it has no list: all marketing mail. */
function scopeOf(payload: Payload<'u'>, scope: UnsubscribeScope): UnsubscribeScope {
  return payload.l === undefined ? 'marketing' : scope;
}

async function targetOf(deps: TrackDeps, payload: Payload<'u'>): Promise<UnsubscribeTarget> {
  let listName: string | undefined;
  if (payload.l !== undefined && deps.lists) {
    try {
      listName = (await deps.lists.get(payload.t, payload.l))?.name;
    } catch (error) {
      deps.log.warn('reading the list name failed', { tenant: payload.t, listId: payload.l, error: String(error) });
    }
  }
  return {
    tenant: payload.t,
    email: payload.r,
    ...(payload.l !== undefined && { listId: payload.l }),
    ...(listName !== undefined && { listName }),
  };
}

/**
 * Who an unsubscribe token is for and what the address has left already (the page a GET
 * shows); 404 for anything but a genuine one. Changes nothing.
 */
export async function describeUnsubscribe(deps: TrackDeps, token: string): Promise<UnsubscribeTarget> {
  const payload = verified(deps.signer, token, 'u', 'Link');
  const [target, unsubscribed] = await Promise.all([targetOf(deps, payload), unsubscribedFrom(deps, payload)]);
  return { ...target, ...(unsubscribed && { unsubscribed }) };
}

/** What the token's address has left: all marketing mail, else the token's list; a failed read is no answer. */
async function unsubscribedFrom(deps: TrackDeps, payload: Payload<'u'>): Promise<UnsubscribeScope | undefined> {
  try {
    const entry = await deps.unsubscribes.find(payload.t, payload.r, payload.l);
    return entry && (entry.listId === undefined ? 'marketing' : 'list');
  } catch (error) {
    deps.log.warn('reading the unsubscribe state failed', { tenant: payload.t, messageId: payload.m, error: String(error) });
    return undefined;
  }
}

/**
 * Unsubscribes the token's address from its list (`list`) or from all of the tenant's
 * marketing mail (`marketing`; always so for a token without a list): the unsubscribe entry
 * that later sends check, the contact's status on the list, and an `unsubscribed` event.
 * Doing it again changes nothing.
 */
export async function unsubscribe(
  deps: TrackDeps,
  token: string,
  requested: UnsubscribeScope,
): Promise<UnsubscribeTarget & { scope: UnsubscribeScope }> {
  const payload = verified(deps.signer, token, 'u', 'Link');
  const scope = scopeOf(payload, requested);
  const at = deps.clock.now().toISOString();
  const stored = await messageOf(deps, payload);
  const campaign = stored?.message.campaign;
  await deps.unsubscribes.put({
    tenant: payload.t,
    email: payload.r,
    ...(scope === 'list' && { listId: payload.l }),
    createdAt: at,
    messageId: payload.m,
    ...(campaign && { campaign }),
  });
  if (scope === 'list' && payload.l !== undefined) await deps.contacts.setStatus(payload.t, payload.l, payload.r, 'unsubscribed', at);
  const base: MessageEventBase = stored
    ? eventBaseOf(stored.message)
    : { messageId: payload.m, tenant: payload.t, tags: {}, ...(payload.l !== undefined && { list: payload.l }) };
  await deps.events.append([eventOf(base, payload, 'unsubscribed', scope, at, stored?.message.attempts ?? 0, { scope })]);
  deps.log.info('unsubscribed', { tenant: payload.t, messageId: payload.m, scope, ...(payload.l !== undefined && { listId: payload.l }) });
  return { ...(await targetOf(deps, payload)), scope };
}

/** Undoes an unsubscribe of the token's address for `scope` (and marks the contact subscribed again for `list`). */
export async function resubscribe(
  deps: TrackDeps,
  token: string,
  requested: UnsubscribeScope,
): Promise<UnsubscribeTarget & { scope: UnsubscribeScope }> {
  const payload = verified(deps.signer, token, 'u', 'Link');
  const scope = scopeOf(payload, requested);
  await deps.unsubscribes.delete(payload.t, payload.r, scope === 'list' ? payload.l : undefined);
  if (scope === 'list' && payload.l !== undefined)
    await deps.contacts.setStatus(payload.t, payload.l, payload.r, 'subscribed', deps.clock.now().toISOString());
  deps.log.info('subscribed again', {
    tenant: payload.t,
    messageId: payload.m,
    scope,
    ...(payload.l !== undefined && { listId: payload.l }),
  });
  return { ...(await targetOf(deps, payload)), scope };
}
