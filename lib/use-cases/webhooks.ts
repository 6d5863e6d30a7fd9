/**
 * A tenant's webhook endpoints through the API: register (answering the secret once), list,
 * read, change, delete, and rotate the secret (the previous one keeps signing for a day).
 * Reading needs `read`, changes need `admin` (lib/handlers/webhook-routes.ts). A URL is
 * checked when it is given: its form, and every address its host resolves to.
 */
import { ServiceUnavailableError } from '../domain/errors.ts';
import type { KeyEncryptionKey } from '../domain/sealed-secret.ts';
import { openSecret, sealSecret } from '../domain/sealed-secret.ts';
import {
  InvalidWebhookUrlError,
  parseWebhookInput,
  parseWebhookPatch,
  ROTATION_OVERLAP_MS,
  secretContext,
  WEBHOOK_ID,
  WebhookNotFoundError,
  webhookTarget,
  webhookView,
  type WebhookEndpoint,
  type WebhookSettings,
} from '../domain/webhook.ts';
import { newWebhookSecret } from '../domain/webhook-signature.ts';
import { addressesProblem, addressProblem } from '../domain/webhook-url.ts';
import type { Clock } from '../ports/clock.ts';
import type { HostResolver } from '../ports/webhook-sender.ts';
import type { WebhookStore } from '../ports/webhook-store.ts';
import { pageLimit } from './lists.ts';

/** What the endpoint routes need. */
export interface WebhookEndpointDeps {
  webhooks: WebhookStore;
  hosts: HostResolver;
  /** The key that seals secrets (the one that seals DKIM keys). */
  domainKey: () => Promise<KeyEncryptionKey>;
  webhookSettings: WebhookSettings;
  clock: Clock;
  newId: () => string;
}

/** Tries of a change that another change of the same endpoint overtook. */
const TRIES = 3;

/** The tenant's endpoint named by `rawId`. @throws WebhookNotFoundError (another tenant's endpoint too) */
export async function requireWebhook(webhooks: Pick<WebhookStore, 'get'>, tenant: string, rawId: string): Promise<WebhookEndpoint> {
  const endpoint = WEBHOOK_ID.test(rawId) ? await webhooks.get(tenant, rawId) : undefined;
  if (!endpoint) throw new WebhookNotFoundError();
  return endpoint;
}

/** Refuses a URL whose host is, or resolves to, an address mailroom may not post to. @throws InvalidWebhookUrlError */
export async function checkWebhookHost(deps: Pick<WebhookEndpointDeps, 'hosts' | 'webhookSettings'>, url: string): Promise<void> {
  const target = webhookTarget(url, deps.webhookSettings.urlPolicy);
  const problem = target.literal ? addressProblem(target.host, target) : addressesProblem(await deps.hosts.addresses(target.host), target);
  if (problem) throw new InvalidWebhookUrlError(problem);
}

/** The secrets that sign a delivery now: the current one, and the previous one during a rotation. */
export async function signingSecrets(deps: Pick<WebhookEndpointDeps, 'domainKey' | 'clock'>, endpoint: WebhookEndpoint): Promise<string[]> {
  const kek = await deps.domainKey();
  const context = secretContext(endpoint.tenant, endpoint.id);
  const secrets = [openSecret(kek, endpoint.secret, context)];
  const until = endpoint.previousSecretUntil ? Date.parse(endpoint.previousSecretUntil) : 0;
  if (endpoint.previousSecret && until > deps.clock.now().getTime()) secrets.push(openSecret(kek, endpoint.previousSecret, context));
  return secrets;
}

/** Registers an endpoint: `201` with its secret, shown this once. 400, 409 `webhook_limit_reached`. */
export async function createWebhook(deps: WebhookEndpointDeps, tenant: string, body: unknown) {
  const input = parseWebhookInput(body, deps.webhookSettings.urlPolicy);
  await checkWebhookHost(deps, input.url);
  const id = deps.newId();
  const secret = newWebhookSecret();
  const now = deps.clock.now().toISOString();
  const endpoint: WebhookEndpoint = {
    id,
    tenant,
    ...input,
    enabled: true,
    secret: sealSecret(await deps.domainKey(), secret, secretContext(tenant, id)),
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await deps.webhooks.create(endpoint, deps.webhookSettings.maxEndpoints);
  return { ...webhookView(endpoint), secret };
}

/** A page of the tenant's endpoints, oldest first. */
export async function listWebhooks(
  deps: Pick<WebhookEndpointDeps, 'webhooks'>,
  tenant: string,
  query: { limit?: string; cursor?: string },
) {
  const page = await deps.webhooks.list(tenant, { limit: pageLimit(query.limit), ...(query.cursor && { cursor: query.cursor }) });
  return { data: page.items.map(webhookView), next_cursor: page.cursor ?? null };
}

export async function getWebhook(deps: Pick<WebhookEndpointDeps, 'webhooks'>, tenant: string, rawId: string) {
  return webhookView(await requireWebhook(deps.webhooks, tenant, rawId));
}

/** Applies `change` to the endpoint, again on top of any change that overtook it. */
async function changeWebhook(
  deps: Pick<WebhookEndpointDeps, 'webhooks' | 'clock'>,
  tenant: string,
  rawId: string,
  change: (current: WebhookEndpoint) => WebhookEndpoint,
): Promise<WebhookEndpoint> {
  for (let attempt = 1; ; attempt++) {
    const current = await requireWebhook(deps.webhooks, tenant, rawId);
    const next = { ...change(current), version: current.version + 1, updatedAt: deps.clock.now().toISOString() };
    if (await deps.webhooks.replace(current, next)) return next;
    if (attempt === TRIES) throw new ServiceUnavailableError('The webhook endpoint was being changed at the same time; retry.');
  }
}

/**
 * Changes url, events, description or enabled. Enabling an endpoint mailroom disabled starts it
 * afresh: no reason, no failures counted.
 */
export async function updateWebhook(deps: WebhookEndpointDeps, tenant: string, rawId: string, body: unknown) {
  await requireWebhook(deps.webhooks, tenant, rawId);
  const patch = parseWebhookPatch(body, deps.webhookSettings.urlPolicy);
  if (patch.url !== undefined) await checkWebhookHost(deps, patch.url);
  const next = await changeWebhook(deps, tenant, rawId, (current) => {
    const { disabledReason: _reason, failingSince: _since, ...rest } = current;
    const afresh = patch.enabled !== undefined && patch.enabled !== current.enabled;
    return { ...(afresh ? rest : current), ...patch };
  });
  return webhookView(next);
}

/** Deletes an endpoint; deliveries still queued for it are dropped, its log expires. */
export async function deleteWebhook(deps: Pick<WebhookEndpointDeps, 'webhooks'>, tenant: string, rawId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await requireWebhook(deps.webhooks, tenant, rawId);
    if (await deps.webhooks.delete(current)) return;
    if (attempt === TRIES) throw new ServiceUnavailableError('The webhook endpoint was being changed at the same time; retry.');
  }
}

/** A new secret, shown this once; for ROTATION_OVERLAP_MS deliveries carry a signature by the previous one too. */
export async function rotateWebhookSecret(deps: WebhookEndpointDeps, tenant: string, rawId: string) {
  const secret = newWebhookSecret();
  const kek = await deps.domainKey();
  const until = new Date(deps.clock.now().getTime() + ROTATION_OVERLAP_MS).toISOString();
  await changeWebhook(deps, tenant, rawId, (current) => ({
    ...current,
    secret: sealSecret(kek, secret, secretContext(tenant, current.id)),
    previousSecret: current.secret,
    previousSecretUntil: until,
  }));
  return { secret, previous_secret_expires_at: until };
}
